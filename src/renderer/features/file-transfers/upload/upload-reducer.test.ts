import { describe, expect, it } from 'vitest';
import type { ImportPreviewDTO } from '../../../../shared/contract/imports';
import type { AppError } from '../../../../shared/result';
import { FILE_DIVISION, initialUpload, uploadReducer, type UploadAction, type UploadState } from './upload-reducer';

const a = new File(['a,b\n1,2\n'], 'balances.csv');
const b = new File(['bill'], 'bills.xlsx');
const preview = (previewId: string) => ({ previewId, fileName: 'balances.csv', decisions: {} }) as unknown as ImportPreviewDTO;
const err = (message: string): AppError => ({ code: 'VALIDATION', message });
const run = (actions: UploadAction[], from: UploadState = initialUpload(null)) => actions.reduce(uploadReducer, from);
const queued = run([{ type: 'filesAdded', files: [a, b] }]);
const reading = run([{ type: 'readingStarted', file: a, previewId: 'p1' }], queued);
const previewing = run([{ type: 'previewed', previewId: 'p1', preview: preview('p1') }], reading);

describe('upload wizard', () => {
  it('starts from the header division, or each row\'s own Division column', () => {
    expect(initialUpload('d1').division).toBe('d1');
    expect(initialUpload(null).division).toBe(FILE_DIVISION);
    expect(run([{ type: 'divisionChosen', division: null }], initialUpload('d1')).division).toBe(FILE_DIVISION);
  });

  it('files queue in order, the same file once; adding clears the last message', () => {
    const s = run([{ type: 'failed', error: err('x') }, { type: 'filesAdded', files: [a] }, { type: 'filesAdded', files: [a, b] }]);
    expect(s.queue).toEqual([a, b]);
    expect(s.error).toBeNull();
  });

  it('idle → reading (rows counted for its own preview only) → preview', () => {
    expect(reading.stage).toMatchObject({ name: 'reading', file: a, previewId: 'p1', rows: 0 });
    expect(run([{ type: 'progress', previewId: 'p1', rows: 500 }], reading).stage).toMatchObject({ rows: 500 });
    expect(run([{ type: 'progress', previewId: 'other', rows: 500 }], reading)).toBe(reading);
    expect(previewing.stage).toMatchObject({ name: 'preview', file: a });
  });

  it('a refused read names the file, drops it, and the next file waits', () => {
    const s = run([{ type: 'readFailed', previewId: 'p1', error: err('No header row.') }], reading);
    expect(s.stage.name).toBe('idle');
    expect(s.queue).toEqual([b]);
    expect(s.error?.message).toBe('balances.csv: No header row.');
  });

  it('an answer for a cancelled read changes nothing', () => {
    const cancelled = run([{ type: 'cancelled' }], reading);
    expect(cancelled).toMatchObject({ stage: { name: 'idle' }, queue: [b] });
    expect(run([{ type: 'previewed', previewId: 'p1', preview: preview('p1') }], cancelled)).toBe(cancelled);
    expect(run([{ type: 'readFailed', previewId: 'p1', error: err('x') }], cancelled)).toBe(cancelled);
  });

  it('preview → applying → done (next file), or back to the preview when a question is unanswered', () => {
    const applying = run([{ type: 'applying' }], previewing);
    expect(applying.stage.name).toBe('applying');
    const refused = run([{ type: 'decisionsRefused', error: err('Answer the question.') }], applying);
    expect(refused.stage).toMatchObject({ name: 'preview', file: a });
    expect(refused.error?.message).toBe('Answer the question.');
    expect(run([{ type: 'applied', error: null }], applying)).toMatchObject({ stage: { name: 'idle' }, queue: [b] });
    expect(run([{ type: 'applied', error: err('Closed month.') }], applying)).toMatchObject({ stage: { name: 'idle' }, queue: [b], error: { message: 'Closed month.' } });
  });

  it('a decision replaces the preview; applying only starts from a preview', () => {
    const next = preview('p2');
    expect(run([{ type: 'decided', file: a, preview: next }], previewing).stage).toMatchObject({ name: 'preview', preview: next });
    expect(run([{ type: 'applying' }], queued)).toBe(queued);
  });

  it('the kind and division chosen stay through every step', () => {
    const s = run([{ type: 'kindChosen', kind: 'bill' }, { type: 'divisionChosen', division: 'd2' }, { type: 'filesAdded', files: [a] }, { type: 'readingStarted', file: a, previewId: 'p9' }, { type: 'cancelled' }]);
    expect(s).toMatchObject({ kind: 'bill', division: 'd2' });
  });
});
