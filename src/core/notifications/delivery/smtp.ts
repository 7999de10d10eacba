import { connect } from 'node:net';
import nodemailer from 'nodemailer';

/** What the delivery runner hands to a transport: one message, with its fixed Message-ID. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  headers: Record<string, string>;
  attachments: { filename: string; content: Buffer; contentType: string }[];
}

export interface SendResult {
  accepted: string[];
  rejected: string[];
  /** The SMTP server's final answer, e.g. "250 OK: queued as 123". */
  response: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** 'tls': TLS from the start (port 465); 'starttls': upgrade required; 'none': plain (loopback tests only). */
  tls: 'none' | 'starttls' | 'tls';
  user?: string;
  pass?: string;
  /** Accept self-signed certificates (test servers). */
  allowSelfSigned?: boolean;
  timeoutMs?: number;
  /** Reuse connections between messages (default true). */
  pool?: boolean;
}

/** An SMTP transport over nodemailer. Credentials come from the server's configuration, never the ledger. */
export function createSmtpTransport(cfg: SmtpConfig): MailTransport {
  const timeout = cfg.timeoutMs ?? 20_000;
  const t = nodemailer.createTransport({
    host: cfg.host,
    port: cfg.port,
    secure: cfg.tls === 'tls',
    requireTLS: cfg.tls === 'starttls',
    ignoreTLS: cfg.tls === 'none',
    auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
    tls: cfg.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 3,
    pool: cfg.pool ?? true,
    maxConnections: 1,
    maxMessages: 500,
    disableFileAccess: true,
    disableUrlAccess: true,
    // Our own socket with Nagle off: otherwise each message waits ~40 ms on delayed ACKs between
    // small SMTP writes. nodemailer still does the TLS (implicit or STARTTLS) on it.
    getSocket: (_opts: unknown, cb: (err: Error | null, socketOptions?: { connection: import('node:net').Socket }) => void) => {
      const sock = connect({ host: cfg.host, port: cfg.port });
      sock.setNoDelay(true);
      const timer = setTimeout(() => {
        sock.destroy();
        cb(Object.assign(new Error(`Connection timeout to ${cfg.host}:${cfg.port}`), { code: 'ETIMEDOUT' }));
      }, timeout);
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        cb(null, { connection: sock });
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        cb(Object.assign(e, { code: (e as { code?: string }).code ?? 'ECONNECTION' }));
      });
    },
  } as nodemailer.TransportOptions);
  return {
    async send(m) {
      const info = await t.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: m.messageId,
        date: m.date,
        headers: m.headers,
        attachments: m.attachments,
      });
      return {
        accepted: (info.accepted as unknown[]).map(String),
        rejected: (info.rejected as unknown[]).map(String),
        response: String(info.response ?? ''),
      };
    },
    close: () => t.close(),
  };
}

export interface SendFailure {
  kind: 'retryable' | 'permanent';
  /** The server (or the connection) is gone: stop this run instead of failing every message. */
  connection: boolean;
  message: string;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAUTH', 'ETLS', 'EPROTOCOL']);

/**
 * A refused recipient (5xx to RCPT TO) is permanent: sending again would be refused again. The
 * server refusing or going away (connection errors, 4xx, timeouts) is retryable, with backoff.
 */
export function classifySendError(e: unknown): SendFailure {
  const err = e as { code?: string; responseCode?: number; response?: string; message?: string; command?: string };
  const code = err.code ?? '';
  const text = (err.response || err.message || String(e)).replace(/\s+/g, ' ').slice(0, 300);
  if (code === 'EENVELOPE' && (err.responseCode ?? 0) >= 500) return { kind: 'permanent', connection: false, message: `The mail server refused the recipient: ${text}` };
  if (CONNECTION_CODES.has(code) || /ECONNREFUSED|ECONNRESET|socket|closed|timeout/i.test(text)) {
    return { kind: 'retryable', connection: true, message: `The mail server is unavailable: ${text}` };
  }
  return { kind: 'retryable', connection: false, message: `The mail server did not accept the message: ${text}` };
}
