import type { ImportKind, ImportPreviewDTO } from '../../../../shared/contract/imports';
import type { AppError } from '../../../../shared/result';

/**
 * The upload wizard's state and its one reducer (pure: state + action → state): files waiting in
 * order, then for the first one reading → preview → applying. Nothing is written until the
 * preview is confirmed; an answer for a read that was cancelled (another preview id) is ignored.
 */
export type Stage =
  | { name: 'idle' }
  | { name: 'reading'; file: File; previewId: string; rows: number }
  | { name: 'preview'; file: File; preview: ImportPreviewDTO }
  | { name: 'applying'; file: File; preview: ImportPreviewDTO };

export interface UploadState {
  kind: ImportKind;
  /** A division id, or FILE_DIVISION: each row's own Division column. */
  division: string;
  queue: File[];
  stage: Stage;
  error: AppError | null;
}

export const FILE_DIVISION = '__file__';

export type UploadAction =
  | { type: 'kindChosen'; kind: ImportKind }
  | { type: 'divisionChosen'; division: string | null }
  | { type: 'filesAdded'; files: File[] }
  | { type: 'readingStarted'; file: File; previewId: string }
  | { type: 'progress'; previewId: string; rows: number }
  | { type: 'previewed'; previewId: string; preview: ImportPreviewDTO }
  | { type: 'readFailed'; previewId: string; error: AppError }
  | { type: 'cancelled' }
  | { type: 'applying' }
  | { type: 'decisionsRefused'; error: AppError }
  | { type: 'applied'; error: AppError | null }
  | { type: 'decided'; file: File; preview: ImportPreviewDTO }
  | { type: 'failed'; error: AppError };

export const initialUpload = (division: string | null): UploadState => ({ kind: 'balance', division: division ?? FILE_DIVISION, queue: [], stage: { name: 'idle' }, error: null });

/** Still reading this preview (not cancelled, not replaced by another read). */
const readingThis = (s: UploadState, previewId: string): s is UploadState & { stage: Extract<Stage, { name: 'reading' }> } => s.stage.name === 'reading' && s.stage.previewId === previewId;

/** The first file is done with (applied, refused or cancelled): the next one waits for Upload. */
const nextFile = (s: UploadState): UploadState => ({ ...s, stage: { name: 'idle' }, queue: s.queue.slice(1) });

const sameFile = (a: File, b: File) => a.name === b.name && a.size === b.size;

function reading(s: UploadState, a: UploadAction): UploadState {
  switch (a.type) {
    case 'readingStarted':
      return { ...s, error: null, stage: { name: 'reading', file: a.file, previewId: a.previewId, rows: 0 } };
    case 'progress':
      return readingThis(s, a.previewId) ? { ...s, stage: { ...s.stage, rows: a.rows } } : s;
    case 'previewed':
      return readingThis(s, a.previewId) ? { ...s, stage: { name: 'preview', file: s.stage.file, preview: a.preview } } : s;
    case 'readFailed':
      return readingThis(s, a.previewId) ? { ...nextFile(s), error: { ...a.error, message: `${s.stage.file.name}: ${a.error.message}` } } : s;
    default:
      return s;
  }
}

function applying(s: UploadState, a: UploadAction): UploadState {
  switch (a.type) {
    case 'applying':
      return s.stage.name === 'preview' ? { ...s, stage: { ...s.stage, name: 'applying' } } : s;
    // The preview is kept: answer the question and apply again.
    case 'decisionsRefused':
      return s.stage.name === 'applying' ? { ...s, stage: { ...s.stage, name: 'preview' }, error: a.error } : s;
    case 'applied':
      return a.error ? { ...nextFile(s), error: a.error } : nextFile(s);
    case 'decided':
      return { ...s, stage: { name: 'preview', file: a.file, preview: a.preview } };
    default:
      return s;
  }
}

export function uploadReducer(s: UploadState, a: UploadAction): UploadState {
  switch (a.type) {
    case 'kindChosen':
      return { ...s, kind: a.kind };
    case 'divisionChosen':
      return { ...s, division: a.division ?? FILE_DIVISION };
    case 'filesAdded':
      return { ...s, error: null, queue: [...s.queue, ...a.files.filter((f) => !s.queue.some((x) => sameFile(x, f)))] };
    case 'cancelled':
      return nextFile(s);
    case 'failed':
      return { ...s, error: a.error };
    case 'readingStarted':
    case 'progress':
    case 'previewed':
    case 'readFailed':
      return reading(s, a);
    default:
      return applying(s, a);
  }
}
