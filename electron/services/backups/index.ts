/**
 * Backups of the clinic database (service.ts describes how they are made and restored). Callers
 * import from here; the files beside this one hold the types, the folder's files and the worker.
 */
export { BackupService } from './service';
export {
  AUTO_BACKUP_EVERY_MS,
  BACKUP_KINDS,
  BackupError,
  RETENTION,
  type BackupDeps,
  type BackupFile,
  type BackupKind,
  type BackupSettings,
  type BackupStatus,
  type BackupVerification,
  type LastBackup,
  type RestoreStaged,
} from './types';
export { backupName, periodOf } from './files';
