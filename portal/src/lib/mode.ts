/** The system's operating mode (F-OPS-02) as /health and `_meta.mode` report it. */
export type Mode = "normal" | "service" | "emergency" | (string & {});

const RANK: Record<string, number> = { normal: 0, service: 1, emergency: 2 };

/** The more serious of the modes reported (an unknown mode counts as service); undefined ones are skipped. */
export function worstMode(...modes: (Mode | undefined | null)[]): Mode {
  let worst: Mode = "normal";
  for (const mode of modes) {
    if (!mode) continue;
    if ((RANK[mode] ?? 1) > (RANK[worst] ?? 1) || (!(mode in RANK) && worst === "normal")) worst = mode;
  }
  return worst;
}
