import { describe, expect, test } from "bun:test";
import { dailyCronPattern, isTimeZone, localDay, nextDailyRun } from "./daily-schedule";

describe("nextDailyRun", () => {
  test("the next 09:00 in the zone, today or tomorrow", () => {
    const now = Date.UTC(2026, 11, 8, 7, 30); // 08:30 in Paris (UTC+1 in December)
    expect(new Date(nextDailyRun({ hour: 9, timeZone: "Europe/Paris" }, now)).toISOString()).toBe(
      "2026-12-08T08:00:00.000Z",
    );
    expect(new Date(nextDailyRun({ hour: 9, timeZone: "UTC" }, now)).toISOString()).toBe(
      "2026-12-08T09:00:00.000Z",
    );
    const after = Date.UTC(2026, 11, 8, 8, 0); // exactly 09:00 Paris: strictly after, so tomorrow
    expect(new Date(nextDailyRun({ hour: 9, timeZone: "Europe/Paris" }, after)).toISOString()).toBe(
      "2026-12-09T08:00:00.000Z",
    );
  });

  test("daylight saving moves the instant, never the local hour", () => {
    const beforeChange = Date.UTC(2026, 2, 28, 12); // Paris switches to UTC+2 on 29 March
    expect(
      new Date(nextDailyRun({ hour: 9, timeZone: "Europe/Paris" }, beforeChange)).toISOString(),
    ).toBe("2026-03-29T07:00:00.000Z");
    const ny = Date.UTC(2026, 6, 1, 20); // 16:00 in New York (UTC-4)
    expect(
      new Date(nextDailyRun({ hour: 7, timeZone: "America/New_York" }, ny)).toISOString(),
    ).toBe("2026-07-02T11:00:00.000Z");
  });

  test("cron pattern, zones and local days", () => {
    expect(dailyCronPattern({ hour: 9, timeZone: "UTC" })).toBe("0 9 * * *");
    expect(isTimeZone("Asia/Tokyo")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(localDay(Date.UTC(2026, 11, 8, 23, 30), "Asia/Tokyo")).toBe("2026-12-09");
  });
});
