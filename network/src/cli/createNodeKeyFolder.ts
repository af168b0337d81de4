import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatEnode } from "../besu/formatEnode.js";
import { nodeKey } from "../besu/nodeKey.js";
import { OutputExistsError } from "../errors.js";

export type CreateNodeKeyFolderParameters = {
  outDir: string;
  /** The IP other nodes reach this node at. */
  ip: string;
  /** Default: 30303. */
  port?: number | undefined;
};

export type CreateNodeKeyFolderReturnType = { address: string; enode: string; keyFile: string };

/**
 * Creates the key of one new node, for a member joining an existing consortium or for a key
 * rotation: the private key stays in `outDir` (0600); only the printed enode and address are sent
 * to the other members.
 *
 * @throws {OutputExistsError} If `outDir` exists and is not empty.
 * @throws {InvalidEnodeError} If `ip` or `port` cannot form an enode URL.
 */
export function createNodeKeyFolder(
  parameters: CreateNodeKeyFolderParameters,
): CreateNodeKeyFolderReturnType {
  const outDir = path.resolve(parameters.outDir);
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new OutputExistsError(
      `${outDir} already exists and is not empty; refusing to overwrite a node key`,
    );
  }
  const key = nodeKey();
  const enode = formatEnode({ nodeId: key.publicKey, ip: parameters.ip, port: parameters.port ?? 30303 });
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const write = (name: string, content: string, mode = 0o644) =>
    writeFileSync(path.join(outDir, name), content, { mode, flag: "wx" });
  write(".gitignore", "*\n");
  write("key", `${key.privateKey.slice(2)}\n`, 0o600);
  write("key.pub", `${key.publicKey}\n`);
  write("address", `${key.address}\n`);
  write("enode", `${enode}\n`);
  mkdirSync(path.join(outDir, "data"), { mode: 0o700 });
  return { address: key.address, enode, keyFile: path.join(outDir, "key") };
}
