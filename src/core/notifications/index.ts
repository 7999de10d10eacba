import type { CommandDef, QueryDef } from '../commands/types';
import {
  cancelNotifications,
  forAccount,
  getNotification,
  getNotificationSettings,
  listNotifications,
  onDemandNotification,
  retryNotifications,
  setOptOut,
  updateNotificationSettings,
} from './actions';
import { listProfiles, saveProfile } from './profiles';
import { getBatch, lettersPdf, listBatches, previewRun, previewStatementFile, runStatements, statementPdf, uploadStatementFile } from './runs';

/** Statements and balance notifications: the commands and queries registry.ts lists. */
export const notificationCommands = [
  saveProfile,
  runStatements,
  uploadStatementFile,
  retryNotifications,
  cancelNotifications,
  setOptOut,
  onDemandNotification,
  updateNotificationSettings,
] as CommandDef[];

export const notificationQueries = [
  listProfiles,
  previewRun,
  previewStatementFile,
  listBatches,
  getBatch,
  statementPdf,
  lettersPdf,
  listNotifications,
  getNotification,
  forAccount,
  getNotificationSettings,
] as QueryDef[];
