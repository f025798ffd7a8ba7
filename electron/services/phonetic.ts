// Moved to shared/ so the sync server's ABDM discovery matches names by the same rule (docs/ABDM.md).
export * from '../../shared/phonetic';
