import { describe, expect, test } from "bun:test";
import { createTokenCipher } from "./token-cipher";

const randomKey = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

describe("createTokenCipher", () => {
  test("seals a token into ciphertext that opens only for the same team", async () => {
    const cipher = await createTokenCipher({ currentKeyId: "k1", keys: { k1: randomKey() } });
    const sealed = await cipher.seal("xoxb-123-secret", "T1");
    expect(sealed.keyId).toBe("k1");
    expect(sealed.iv).toHaveLength(12);
    expect(Buffer.from(sealed.ciphertext).toString("latin1")).not.toContain("xoxb");
    expect(await cipher.open(sealed, "T1")).toBe("xoxb-123-secret");
    await expect(cipher.open(sealed, "T2")).rejects.toThrow();
  });

  test("a tampered ciphertext is rejected", async () => {
    const cipher = await createTokenCipher({ currentKeyId: "k1", keys: { k1: randomKey() } });
    const sealed = await cipher.seal("xoxb-123-secret", "T1");
    const tampered = new Uint8Array(sealed.ciphertext);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    await expect(cipher.open({ ...sealed, ciphertext: tampered }, "T1")).rejects.toThrow();
  });

  test("rotation: tokens sealed with a retired key still open; new ones use the current key", async () => {
    const oldKey = randomKey();
    const before = await createTokenCipher({ currentKeyId: "old", keys: { old: oldKey } });
    const sealedBefore = await before.seal("xoxb-old", "T1");
    const after = await createTokenCipher({
      currentKeyId: "new",
      keys: { old: oldKey, new: randomKey() },
    });
    expect(await after.open(sealedBefore, "T1")).toBe("xoxb-old");
    expect((await after.seal("xoxb-new", "T1")).keyId).toBe("new");
  });

  test("refuses keys of the wrong size and unknown key ids, naming the key", async () => {
    await expect(createTokenCipher({ currentKeyId: "k", keys: { k: "c2hvcnQ=" } })).rejects.toThrow(
      'token key "k" must be 32 bytes',
    );
    await expect(
      createTokenCipher({ currentKeyId: "x", keys: { k: randomKey() } }),
    ).rejects.toThrow('token key "x" is not among the keys given');
    const cipher = await createTokenCipher({ currentKeyId: "k", keys: { k: randomKey() } });
    const sealed = await cipher.seal("t", "T1");
    await expect(cipher.open({ ...sealed, keyId: "gone" }, "T1")).rejects.toThrow('"gone"');
  });
});
