/**
 * Secrets out of URLs before they reach a message, a log or a file: query parameters named like a
 * key, token, signature or password keep their name and lose their value, and so does a password in
 * the user-info part. Pure string work, so it also handles URLs that do not parse.
 */

/** Query parameter names whose values are secrets: api_key, apikey, key, token, access_token, auth, signature, password, … */
export const SECRET_PARAM = /^(?:.*[_-])?(?:api-?key|key|token|auth|signature|sig|secret|password|passwd|pwd|credential)$/i;

const MASK = '***';

/** `url` with the values of secret-looking query parameters (and any user-info password) replaced by `***`. */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const base = redactUserInfo(queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt));
  if (queryAt === -1) return base + hash;
  const query = beforeHash
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SECRET_PARAM.test(decodeName(name)) ? `${name}=${MASK}` : pair;
    })
    .join('&');
  return `${base}?${query}${hash}`;
}

/** Every http(s) URL inside a free text (an error message from a library, say) redacted. */
export function redactText(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => redactUrl(url));
}

function redactUserInfo(base: string): string {
  return base.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@]*?:)[^/@]*@/i, `$1${MASK}@`);
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
