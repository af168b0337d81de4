import { InvalidConsortiumError } from "../errors.js";

export type ConsortiumLayoutParameters = { validators: number; members: number };

export type LayoutNode = {
  name: string;
  role: "validator" | "rpc";
  /** Index of the member organisation that runs the node. */
  member: number;
  /** Last octet of the node's address in the default Docker subnet. */
  hostOctet: number;
};

export type ConsortiumLayoutReturnType = { nodes: LayoutNode[] };

/**
 * Names the nodes of a consortium and assigns them to members and to addresses in the Docker
 * subnet: `validator1…N` at .11, .12, … (as the Besu quickstart does) and one `rpc<i>` per member at
 * .31, .32, …. Validators go to members round-robin, so with as many members as validators each
 * member runs one.
 *
 * The names are fixed because docker-compose.besu.yml mounts `nodes/validator1` … `nodes/rpc1`.
 */
export function consortiumLayout({
  validators,
  members,
}: ConsortiumLayoutParameters): ConsortiumLayoutReturnType {
  if (validators > 19 || members > 19) {
    throw new InvalidConsortiumError("At most 19 validators and 19 members fit the default address layout");
  }
  const nodes: LayoutNode[] = [];
  for (let i = 0; i < validators; i++) {
    nodes.push({ name: `validator${i + 1}`, role: "validator", member: i % members, hostOctet: 11 + i });
  }
  for (let i = 0; i < members; i++) {
    nodes.push({ name: `rpc${i + 1}`, role: "rpc", member: i, hostOctet: 31 + i });
  }
  return { nodes };
}
