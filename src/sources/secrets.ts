/**
 * Keeping secrets (API keys, tokens) out of messages, errors and logs. Pure string functions: run
 * every text that may have seen a request URL or a server's answer through them before showing it.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '***';

/** Query parameters whose values are secrets, compared case-insensitively. */
export const SECRET_PARAMS: readonly string[] = ['api_key', 'apikey', 'key', 'token', 'access_token', 'signature', 'password'];

// `?name=value` or `&name=value`, up to the next `&`, `#`, quote, bracket or whitespace: so it finds
// the parameters in a bare URL and in a URL inside a longer text ("GET https://…?api_key=… failed").
const SECRET_PARAM_RE = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"'<>()\\[\\]]*`, 'gi');

// The password of `scheme://user:password@host`.
const USER_INFO_RE = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]*@/gi;

/**
 * `url` (or any text holding URLs) with the values of secret query parameters (SECRET_PARAMS) and
 * any user-info password replaced by `***`:
 * `https://x/apod?api_key=abc&date=2024-01-01` → `https://x/apod?api_key=***&date=2024-01-01`.
 */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM_RE, `$1${REDACTED}`).replace(USER_INFO_RE, `$1${REDACTED}@`);
}

/**
 * `text` with every occurrence of every secret replaced by `***`: as written, and as it looks
 * inside a URL (percent-encoded, or form-encoded with `+` for spaces), since a server or a client
 * library may echo a request URL back. Empty secrets are ignored.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  // Longest first, so that a secret containing another is replaced whole.
  let out = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Both at once: secret query parameters and the secrets themselves, wherever they are. */
export function redactText(text: string, secrets: readonly string[]): string {
  return redactSecrets(redactUrl(text), secrets);
}
