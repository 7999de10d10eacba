import { useEffect, useReducer, useRef } from 'react';
import type { ImportDecisions, ImportKind, ReadAsDTO } from '../../../../shared/contract/imports';
import { newId } from '../../../../shared/ids';
import { clearLeaveGuard } from '../../../app/leave-guard';
import { call, onEvent } from '../../../api/client';
import { fileToBase64, saveDownload } from '../../../lib/files';
import { FILE_DIVISION, initialUpload, uploadReducer, type UploadState } from './upload-reducer';

/**
 * The upload wizard's calls to main around its reducer. Each answer is dispatched with the preview
 * id it belongs to, so a read that was cancelled meanwhile changes nothing.
 */
export function useUpload(headerDivision: string | null, allowedKinds: readonly ImportKind[], onApplied: (uploadId: string) => void) {
  const [state, dispatch] = useReducer(uploadReducer, headerDivision, initialUpload);
  // The kind chosen, unless this role may not upload it (then the first it may).
  const kind: ImportKind = allowedKinds.includes(state.kind) ? state.kind : (allowedKinds[0] ?? state.kind);
  // The latest state for the async steps below (they outlive the render that started them).
  const latest = useRef<UploadState>(state);
  latest.current = state;

  useEffect(() => onEvent('import.progress', (p) => dispatch({ type: 'progress', previewId: p.previewId, rows: p.rows })), []);

  const upload = async (readAs?: ReadAsDTO, decisions?: ImportDecisions) => {
    const { queue, division } = latest.current;
    const file = queue[0];
    if (!file) return;
    const previewId = newId();
    dispatch({ type: 'readingStarted', file, previewId });
    const r = await call('imports.preview', {
      previewId,
      fileName: file.name,
      kind,
      divisionId: division === FILE_DIVISION ? null : division,
      contentBase64: await fileToBase64(file),
      ...(readAs ? { readAs } : {}),
      ...(decisions ? { decisions } : {}),
    });
    dispatch(r.ok ? { type: 'previewed', previewId, preview: r.value } : { type: 'readFailed', previewId, error: r.error });
  };

  const cancel = async () => {
    const s = latest.current.stage;
    if (s.name === 'reading') await call('imports.cancel', { previewId: s.previewId });
    dispatch({ type: 'cancelled' });
  };

  const apply = async () => {
    const s = latest.current.stage;
    if (s.name !== 'preview') return;
    dispatch({ type: 'applying' });
    const r = await call('imports.apply', { previewId: s.preview.previewId, decisions: s.preview.decisions });
    if (!r.ok && r.error.details?.field === 'decisions') return dispatch({ type: 'decisionsRefused', error: r.error });
    dispatch({ type: 'applied', error: r.ok ? null : r.error });
    if (r.ok) {
      clearLeaveGuard();
      onApplied(r.value.duplicateOf ?? r.value.id);
    }
  };

  /** A changed reading means reading the file again; decisions made so far are kept. */
  const reread = async (readAs: ReadAsDTO) => {
    const s = latest.current.stage;
    if (s.name !== 'preview') return;
    await call('imports.cancel', { previewId: s.preview.previewId });
    await upload(readAs, s.preview.decisions);
  };

  const decide = async (decisions: ImportDecisions) => {
    const s = latest.current.stage;
    if (s.name !== 'preview') return;
    const r = await call('imports.decide', { previewId: s.preview.previewId, decisions });
    dispatch(r.ok ? { type: 'decided', file: s.file, preview: r.value } : { type: 'failed', error: r.error });
  };

  const template = async (k: ImportKind, format: 'csv' | 'xlsx') => {
    const r = await call('imports.template', { kind: k, format });
    if (r.ok) saveDownload(r.value);
    else dispatch({ type: 'failed', error: r.error });
  };

  return { state, dispatch, kind, upload, cancel, apply, reread, decide, template };
}
