import { defineDevelopers } from "../lib/define.js";

/**
 * One entry per developer. Add yourself in a pull request; an approver merges it.
 * The key is your short name: services list it as an owner.
 */
export default defineDevelopers({
  alice: {
    name: "Alice Tanaka",
    email: "alice@example.com",
    google: "alice@example.com",
    github: "alice-tanaka",
    slack: "U01ALICE01",
    datadogRole: "Datadog Standard Role",
    pagerdutyRole: "user",
    approver: true,
  },
  bob: {
    name: "Bob Sato",
    email: "bob@example.com",
    google: "bob@example.com",
    github: "bobsato",
    slack: "U01BOBSAT0",
    datadogRole: "Datadog Standard Role",
    pagerdutyRole: "user",
    approver: true,
  },
  carol: {
    name: "Carol Suzuki",
    email: "carol@example.com",
    github: "carol-s",
    slack: "U01CAROL01",
    datadogRole: "Datadog Standard Role",
    pagerdutyRole: "user",
  },
  dave: {
    name: "Dave Ito",
    email: "dave@example.com",
    google: "dave@example.com",
    github: "daveito",
    slack: "U01DAVEIT0",
    datadogRole: "Datadog Read Only Role",
    pagerdutyRole: "limited_user",
  },
  erin: {
    name: "Erin Kato",
    email: "erin@example.com",
    google: "erin@example.com",
    github: "erin-kato",
    slack: "U01ERINKA0",
    datadogRole: "Datadog Standard Role",
    pagerdutyRole: "user",
  },
});
