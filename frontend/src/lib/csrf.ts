// Django's CSRF token: the csrftoken cookie (CSRF_COOKIE_HTTPONLY is off), falling back
// to the token the page was rendered with.

export function readCookie(name: string, cookies: string = document.cookie): string {
  for (const part of cookies.split(";")) {
    const [rawKey, ...rest] = part.trim().split("=");
    if (rawKey === name) return decodeURIComponent(rest.join("="));
  }
  return "";
}

export function csrfToken(fallback = ""): string {
  return readCookie("csrftoken") || fallback;
}
