import { loadConfig } from "../lib/config/load";
import type { OrganizationModel } from "../lib/config/model";
import { ConfigError, formatProblems } from "../lib/config/problems";
import { validate } from "../lib/config/validate";

/**
 * The validated organization of a command that needs one, or the config's problems on stderr
 * and exit code 1 (a broken config is the user's to fix; anything else is thrown).
 */
export async function loadModelOrExit(configDir: string): Promise<OrganizationModel> {
  try {
    return validate(await loadConfig(configDir, "config"));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(formatProblems(error.problems));
    process.exit(1);
  }
}
