/**
 * How long a value typed into a sign-in field may be. Checked before any upstream request, and a
 * value over its limit is neither echoed in a message nor put back into the form (a 10 KB instance
 * URL once made the page 100,820 px wide). The sign-in forms (front-door/pages.ts) use the same
 * limits when refilling a field after an error. No `maxlength` on the inputs: it would cut a
 * pasted value silently, where this says what is wrong.
 */
export const FIELD_LIMITS = {
  /** Far beyond any instance address (a host name is at most 253 characters). */
  instanceUrl: 2048,
  /** Xano's Metadata API tokens are JWTs of well under 1 KB. */
  token: 4096,
  /** RFC 5321's limit for an address in a mail path. */
  email: 254,
  password: 1024,
} as const;

export type SignInField = keyof typeof FIELD_LIMITS;

const NAMES: Record<SignInField, string> = { instanceUrl: "The instance URL", token: "The token", email: "The email address", password: "The password" };

/** The message for a value over its field's limit, or null when it fits. */
export function overLongField(field: SignInField, value: string): string | null {
  const limit = FIELD_LIMITS[field];
  return value.length > limit ? `${NAMES[field]} is longer than ${limit} characters. Check what you pasted.` : null;
}

/** A value to put back into a field after an error: itself when it fits its limit, else nothing. */
export function refill(field: SignInField, value: string | undefined): string {
  return value !== undefined && value.length <= FIELD_LIMITS[field] ? value : "";
}
