/** An integer typed into a text box, or a plain-words reason it is not one within bounds. */
export function readInteger(
  text: string,
  field: string,
  what: string,
  min: number,
  max: number,
): { value: number } | { message: string; field: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isInteger(value) || value < min || value > max) {
    return { message: `${what} must be a whole number from ${min} to ${max}.`, field };
  }
  return { value };
}
