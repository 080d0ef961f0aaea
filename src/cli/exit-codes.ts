/** Exit codes: spec/cli.md's four, and 70 (EX_SOFTWARE) when stardash itself failed (a bug). */
export const EXIT = { ok: 0, failed: 1, usage: 2, internal: 70, interrupted: 130 } as const;
