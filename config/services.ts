import ledger from "./services/ledger.js";
import payments from "./services/payments.js";
import recommendations from "./services/recommendations.js";

/**
 * The index of config/services/. Every file there must be listed here under its file name;
 * validation fails otherwise. `npm run new-service` keeps it up to date.
 */
export default {
  ledger,
  payments,
  recommendations,
};
