/** Same value, whatever the case, spacing or final punctuation (the store compares alike). */
export function sameFact(a: string, b: string): boolean {
  const norm = (text: string) =>
    text
      .toLowerCase()
      .replace(/[\s.!,;:]+/g, " ")
      .trim();
  return norm(a) === norm(b);
}
