/**
 * How the browser host's WebSocket carries one contract call. A request longer than one frame
 * (a 50 MB file is ~67 MB of base64) is sent as numbered parts, each a frame of at most
 * WIRE_FRAME_CHARS; the host joins them up to WIRE_MAX_REQUEST_CHARS and refuses more with a
 * clear answer. Pure: used by the renderer and by the host.
 */
export const WIRE_FRAME_CHARS = 512 * 1024;
/**
 * The largest frame the host accepts; a bigger one closes the socket (1009). A part's text is at
 * most 3 UTF-8 bytes a character after escaping, plus its small envelope.
 */
export const WIRE_MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** The largest whole request: the contract's 50 MB file as base64, plus the rest of the call. */
export const WIRE_MAX_REQUEST_CHARS = 72 * 1024 * 1024;

/** One part of a long request: `{ part: { id, seq, last, data } }`. */
export interface WirePart {
  part: { id: number; seq: number; last: boolean; data: string };
}

/** Splits a serialized request into the frames to send (one frame when it is short). */
export function toFrames(id: number, text: string): string[] {
  if (text.length <= WIRE_FRAME_CHARS) return [text];
  const frames: string[] = [];
  for (let i = 0, seq = 0; i < text.length; i += WIRE_FRAME_CHARS, seq++) {
    const data = text.slice(i, i + WIRE_FRAME_CHARS);
    frames.push(JSON.stringify({ part: { id, seq, last: i + WIRE_FRAME_CHARS >= text.length, data } } satisfies WirePart));
  }
  return frames;
}
