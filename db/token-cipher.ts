// Seals Slack bot tokens with AES-256-GCM (WebCrypto) before they reach the database. Each
// sealed token records the id of the key that sealed it, so keys can be rotated: new tokens use
// the current key, old ones still open with a retired key until they are re-saved. The team id is
// bound as additional data, so a ciphertext copied onto another workspace's row fails to open.
// Keys come from configuration and are never logged or stored.

export interface SealedToken {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  keyId: string;
}

export interface TokenCipher {
  seal(token: string, teamId: string): Promise<SealedToken>;
  open(sealed: SealedToken, teamId: string): Promise<string>;
}

export interface TokenCipherKeys {
  /** Seals every new token. */
  currentKeyId: string;
  /** Key id -> base64 of 32 random bytes (e.g. `openssl rand -base64 32`). */
  keys: Readonly<Record<string, string>>;
}

const IV_BYTES = 12;

export async function createTokenCipher(config: TokenCipherKeys): Promise<TokenCipher> {
  const keys = new Map<string, CryptoKey>();
  for (const [id, encoded] of Object.entries(config.keys)) {
    const raw = Buffer.from(encoded, "base64");
    if (raw.length !== 32) {
      throw new Error(`token key "${id}" must be 32 bytes of base64, got ${raw.length} bytes`);
    }
    keys.set(
      id,
      await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]),
    );
  }
  const current = keys.get(config.currentKeyId);
  if (!current) throw new Error(`token key "${config.currentKeyId}" is not among the keys given`);
  const encoder = new TextEncoder();

  return {
    async seal(token, teamId) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(teamId) },
        current,
        encoder.encode(token),
      );
      return { ciphertext: new Uint8Array(sealed), iv, keyId: config.currentKeyId };
    },
    async open(sealed, teamId) {
      const key = keys.get(sealed.keyId);
      if (!key)
        throw new Error(`token was sealed with key "${sealed.keyId}", which is not configured`);
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: new Uint8Array(sealed.iv), additionalData: encoder.encode(teamId) },
        key,
        new Uint8Array(sealed.ciphertext),
      );
      return new TextDecoder().decode(plain);
    },
  };
}
