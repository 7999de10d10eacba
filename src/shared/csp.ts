/**
 * The one Content-Security-Policy of the renderer: sent as a header by the Electron binding (for
 * app:// pages) and by the browser host (for its HTTP pages). Scripts only from the app itself,
 * no remote anything; the WebSocket is the browser host's own.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
