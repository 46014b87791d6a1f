import { defineRetired } from "../lib/define.js";

/**
 * Removed services. A service leaves in two pull requests (README "Retire and remove a
 * service"): first `retired: true` in its file, applied; then its file is deleted, its line
 * in config/services.ts removed, and its last entry moved here with `removedOn` and `reason`:
 *
 *   old-search: {
 *     ...the entry from config/services/old-search.ts, with retired: true,
 *     removedOn: "2025-06-30",
 *     reason: "Replaced by the search service; data kept for audits",
 *   },
 *
 * Synthesis then emits Terraform `removed` blocks: its account, registries, keys and VPCs leave
 * Terraform's state and stay in AWS. Entries stay here: they keep the name and the account
 * email reserved.
 */
export default defineRetired({});
