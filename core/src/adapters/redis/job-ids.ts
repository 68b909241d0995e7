// BullMQ refuses job ids containing ':' (its key separator) and the id "0". The port allows any
// string, so ids are encoded reversibly on the way in and decoded for handlers.

/** Encodes a port job id into one BullMQ accepts; injective, so distinct ids stay distinct. */
export function toBullJobId(id: string): string {
  const encoded = id.replaceAll("%", "%25").replaceAll(":", "%3A");
  return encoded === "0" ? "%30" : encoded;
}

/** The inverse of {@link toBullJobId}. */
export function fromBullJobId(id: string): string {
  return id.replaceAll("%3A", ":").replaceAll("%30", "0").replaceAll("%25", "%");
}
