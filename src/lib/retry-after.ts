/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): `Retry-After = HTTP-date / delay-seconds`.
 * Both forms are legal on a 429 or 503, so a reader that knows only seconds drops a date and
 * retries too early. The date is one of the three HTTP-date formats a recipient must accept
 * (§5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms), always GMT; anything else
 * (a fraction, a negative number, a free-form date) is not a Retry-After and reads as none.
 *
 * A leaf module: it imports nothing of the server.
 */

/** Whole seconds to wait (0 for a date already past), or null when there is no valid header. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = parseHttpDate(value, now);
  return date === null ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
// "Sun, 06 Nov 1994 08:49:37 GMT"
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
// "Sunday, 06-Nov-94 08:49:37 GMT"
const RFC850_DATE = new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
// "Sun Nov  6 08:49:37 1994"
const ASCTIME_DATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/** Milliseconds since the epoch, or null when `value` is no valid HTTP-date. */
function parseHttpDate(value: string, now: number): number | null {
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(value))) return utc(Number(m[3]), m[2], Number(m[1]), m[4], m[5], m[6]);
  if ((m = RFC850_DATE.exec(value))) return utc(rfc850Year(Number(m[3]), now), m[2], Number(m[1]), m[4], m[5], m[6]);
  if ((m = ASCTIME_DATE.exec(value))) return utc(Number(m[6]), m[1], Number(m[2].trim()), m[3], m[4], m[5]);
  return null;
}

/** §5.6.7: a two-digit year more than 50 years ahead is the most recent past year with those digits. */
function rfc850Year(twoDigits: number, now: number): number {
  const thisYear = new Date(now).getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + twoDigits;
  if (year > thisYear + 50) year -= 100;
  return year;
}

function utc(year: number, month: string, day: number, hours: string, minutes: string, seconds: string): number | null {
  const monthIndex = MONTHS.indexOf(month);
  const [h, mi, s] = [Number(hours), Number(minutes), Number(seconds)];
  // Second 60 is a leap second (§5.6.7 allows it); read as :59, so it stays within its day.
  if (h > 23 || mi > 59 || s > 60) return null;
  const time = Date.UTC(year, monthIndex, day, h, mi, Math.min(s, 59));
  // Date.UTC rolls "31 Feb" into March: such a date does not exist, so it is no HTTP-date.
  return new Date(time).getUTCDate() === day ? time : null;
}
