/**
 * "Every day at 09:00 in Europe/Paris", computed without a cron library: the in-process queue runs
 * its schedules with it, and the summaries feature reports when a workspace's next run is. The
 * BullMQ adapter hands the same schedule to BullMQ as a cron pattern with its zone; a test holds
 * the two to the same instant. Pure; the zone's offset comes from Intl, so daylight saving time
 * moves the instant, never the local hour.
 */

/** A job that runs once a day at a local time. */
export interface DailyAt {
  /** 0-23, local to `timeZone`. */
  hour: number;
  /** 0-59 (default 0). */
  minute?: number;
  /** IANA zone, e.g. "Europe/Paris"; "UTC" for none. */
  timeZone: string;
}

/** True when `timeZone` names a zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `at` (Unix ms), as if it were UTC. */
function wallClock(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
}

/** The instant (Unix ms) a local wall-clock time names in `timeZone` (a gap resolves later). */
function instantOf(wall: number, timeZone: string): number {
  // Two rounds settle the offset even when `wall` sits beside a daylight saving change.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (wallClock(guess, timeZone) - guess);
  return guess;
}

/** The first run strictly after `now` (Unix ms). */
export function nextDailyRun(schedule: DailyAt, now: number): number {
  const wallNow = wallClock(now, schedule.timeZone);
  const day = new Date(wallNow);
  for (let offset = 0; offset <= 2; offset++) {
    const wall = Date.UTC(
      day.getUTCFullYear(),
      day.getUTCMonth(),
      day.getUTCDate() + offset,
      schedule.hour,
      schedule.minute ?? 0,
    );
    const at = instantOf(wall, schedule.timeZone);
    if (at > now) return at;
  }
  throw new Error(`no daily run found after ${new Date(now).toISOString()}`);
}

/** The same schedule as a cron pattern (minute hour * * *), read in the schedule's zone. */
export function dailyCronPattern(schedule: DailyAt): string {
  return `${schedule.minute ?? 0} ${schedule.hour} * * *`;
}

/** The local calendar day of `at` in `timeZone`, as `YYYY-MM-DD`. */
export function localDay(at: number, timeZone: string): string {
  return new Date(wallClock(at, timeZone)).toISOString().slice(0, 10);
}
