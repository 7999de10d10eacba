/**
 * The few globals src/shared may use: they exist in every place shared code runs (the window,
 * Node, workers), so shared is compiled without DOM or Node types and only these are declared.
 */
declare class URL {
  constructor(url: string, base?: string | URL);
  readonly hostname: string;
  readonly protocol: string;
  readonly host: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  href: string;
  toString(): string;
}
declare function btoa(data: string): string;
declare function atob(data: string): string;
/** Web Crypto's CSPRNG (the window, Node ≥ 19, workers). */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
