import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import type { DatabaseDialect } from "../db/openDatabase.js";
import { BackupError } from "./opsErrors.js";

export const BACKUP_FORMAT = "gridledger-backup/1";

/** Written beside every backup (`<file>.manifest.json`): what it is, where the index stood, and its checksum. */
export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  dialect: DatabaseDialect;
  createdAt: string;
  /** The indexer checkpoint inside the backup: every block up to it is in the file. */
  checkpoint: { blockNumber: number; blockHash: string; deployment: string; chainId: number } | null;
  bytes: number;
  sha256: string;
};

export const manifestPath = (file: string) => `${file}.manifest.json`;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function writeManifest(
  file: string,
  manifest: Omit<BackupManifest, "bytes" | "sha256" | "format">,
) {
  const full: BackupManifest = {
    format: BACKUP_FORMAT,
    ...manifest,
    bytes: statSync(file).size,
    sha256: await sha256File(file),
  };
  writeFileSync(manifestPath(file), `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  return full;
}

/** Reads the manifest and checks the file against it; a damaged or foreign file is refused. */
export async function readVerifiedManifest(file: string): Promise<BackupManifest> {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}`);
  const path = manifestPath(file);
  if (!existsSync(path))
    throw new BackupError(`No manifest beside the backup (${path})`, "a backup is the file and its manifest");
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(path, "utf8")) as BackupManifest;
  } catch {
    throw new BackupError(`The manifest ${path} is not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new BackupError(`Unknown backup format ${String(manifest.format)}`);
  const actual = await sha256File(file);
  if (actual !== manifest.sha256) {
    throw new BackupError(
      `The backup file ${file} is damaged: its SHA-256 differs from the manifest`,
      `manifest ${manifest.sha256}, file ${actual}`,
    );
  }
  return manifest;
}
