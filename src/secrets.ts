/**
 * Keeping secrets (API keys, tokens, passwords) out of messages, errors, logs and files. Pure
 * string functions: run every text that may have seen a request URL or a server's answer through
 * them before showing or storing it. Used by the download layer and the sources alike.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '***';

/**
 * Query parameter names whose values are secrets, case-insensitive and whole: api_key, apikey, key,
 * token, access_token, auth, signature (X-Amz-Signature), sig, secret, password, … — and the same
 * with `_` written `%5F`. Not monkey, keys or key_id.
 */
const SECRET_NAME = String.raw`(?:[\w.~%-]*?(?:[_-]|%5F))?(?:api(?:[_-]|%5F)?key|key|token|auth|signature|sig|secret|password|passwd|pwd|credentials?)`;

// `?name=value` or `&name=value`, up to the next `&`, `#`, quote, bracket or whitespace: so it finds
// the parameters in a bare URL and in a URL inside a longer text ("GET https://…?api_key=… failed").
const SECRET_PARAM_RE = new RegExp(String.raw`([?&]${SECRET_NAME}=)[^&#\s"'<>()\[\]]*`, 'gi');

// The password of `scheme://user:password@host`.
const USER_INFO_RE = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/@:]*:)[^\s/@]*@/gi;

/** Secrets this process holds and hides wherever they appear (see hideEverywhere), with how many asked. */
const known = new Map<string, number>();

/**
 * From now on, until the returned function is called, redactUrl and redactText hide `secret`
 * wherever it appears and however it is encoded, not only in a parameter known to be secret: for
 * the API key in use, which a server may put into the URLs it hands out under any name.
 */
export function hideEverywhere(secret: string): () => void {
  if (secret === '') return () => undefined;
  known.set(secret, (known.get(secret) ?? 0) + 1);
  let forgotten = false;
  return () => {
    if (forgotten) return;
    forgotten = true;
    const left = (known.get(secret) ?? 1) - 1;
    if (left > 0) known.set(secret, left);
    else known.delete(secret);
  };
}

/**
 * `url` (or any text holding URLs) with the values of secret query parameters, any user-info
 * password and every secret passed to hideEverywhere replaced by `***`:
 * `https://x/apod?api_key=abc&date=2024-01-01` → `https://x/apod?api_key=***&date=2024-01-01`.
 */
export function redactUrl(url: string): string {
  const redacted = url.replace(SECRET_PARAM_RE, `$1${REDACTED}`).replace(USER_INFO_RE, `$1${REDACTED}@`);
  return known.size === 0 ? redacted : redactSecrets(redacted, [...known.keys()]);
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

/** Both at once: secret query parameters in every URL, and the known secrets wherever they are. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return redactSecrets(redactUrl(text), secrets);
}
