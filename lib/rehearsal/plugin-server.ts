import { readFileSync } from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";

/*
 * A provider plugin that knows a provider's schema and nothing else: enough for
 * `terraform validate`, which asks for the schema, checks the configuration against it itself,
 * and then asks the provider to validate each block (answered with no diagnostics: a provider's
 * own rules are its code). Terraform starts it through a `dev_overrides` entry; it speaks
 * go-plugin's handshake and tfplugin6 over gRPC.
 *
 * Terraform starts one plugin process per provider and per provider configuration, dozens
 * per run, so the process does as little as it can: every answer was encoded once by the
 * rehearsal from the protocol files (plugin-protocol.ts), and the plugin replays those bytes
 * without decoding a request. It loads gRPC and nothing of protobuf.
 */

/** The handshake cookie Terraform sets: go-plugin's way to tell a plugin it was started by its host. */
export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/** Everything a plugin answers, by gRPC method path (`/tfplugin6.Provider/GetProviderSchema`). */
export interface PluginAnswers {
  /** Encoded response (base64) of every unary method. */
  readonly unary: Readonly<Record<string, string>>;
  /** Streaming methods: opened and kept silent until shutdown (stdio mirror, connection broker). */
  readonly streams: Readonly<Record<string, { readonly requestStream: boolean }>>;
  /** The method after whose answer the plugin exits (go-plugin's GRPCController/Shutdown). */
  readonly shutdown: string;
}

/** Where the plugin finds its inputs, all written by the rehearsal before Terraform starts. */
export interface PluginServerOptions {
  /** JSON file of this provider's {@link PluginAnswers}. */
  readonly answersFile: string;
  /** Folder with `server.crt` and `server.key`, the certificate the plugin presents under AutoMTLS. */
  readonly tlsDir: string;
  /**
   * Serve every Terraform run of the rehearsal from this one process, on this Unix socket,
   * instead of one process per provider instance: Terraform attaches to it through
   * `TF_REATTACH_PROVIDERS` and never stops it (the rehearsal does). @default - one process per instance
   */
  readonly sharedSocket?: string;
}

/** Core protocol 1 (go-plugin), app protocol 6 (tfplugin6). */
const CORE_PROTOCOL_VERSION = 1;
const APP_PROTOCOL_VERSION = 6;

const asIs = (bytes: Buffer): Buffer => bytes;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** `/tfplugin6.Provider/GetProviderSchema` -> service and method name. */
function splitPath(methodPath: string): [string, string] {
  const [, service, method] = methodPath.split("/");
  return [service!, method!];
}

/** Starts the plugin: listens on loopback, prints the handshake line, serves until Shutdown. */
export function servePlugin(options: PluginServerOptions): void {
  // go-plugin's rule: a plugin started by hand says what it is instead of waiting forever.
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    fail("This program is a Terraform provider plugin of the rehearsal; Terraform starts it (npm run rehearse:terraform).");
  }
  const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(",");
  if (!offered.includes(String(APP_PROTOCOL_VERSION))) {
    fail(`Terraform offered plugin protocol versions ${offered.join(", ")}; this plugin speaks only ${APP_PROTOCOL_VERSION}.`);
  }
  const answers = JSON.parse(readFileSync(options.answersFile, "utf8")) as PluginAnswers;

  const server = new grpc.Server();
  const openStreams = new Set<{ end: () => void }>();
  const shutdown = (): void => {
    for (const stream of openStreams) stream.end();
    server.tryShutdown(() => process.exit(0));
    // A client that keeps a stream open must not keep the process alive.
    setTimeout(() => process.exit(0), 200).unref();
  };

  // One service definition per gRPC service, its methods passing bytes through untouched.
  const definitions = new Map<string, Record<string, grpc.MethodDefinition<Buffer, Buffer>>>();
  const handlers = new Map<string, Record<string, grpc.UntypedHandleCall>>();
  const add = (methodPath: string, requestStream: boolean, responseStream: boolean, handler: grpc.UntypedHandleCall): void => {
    const [service, method] = splitPath(methodPath);
    if (!definitions.has(service)) { definitions.set(service, {}); handlers.set(service, {}); }
    definitions.get(service)![method] = {
      path: methodPath, requestStream, responseStream,
      requestSerialize: asIs, requestDeserialize: asIs, responseSerialize: asIs, responseDeserialize: asIs,
    };
    handlers.get(service)![method] = handler;
  };
  for (const [methodPath, encoded] of Object.entries(answers.unary)) {
    const bytes = Buffer.from(encoded, "base64");
    add(methodPath, false, false, ((_call: unknown, callback: grpc.sendUnaryData<Buffer>) => {
      callback(null, bytes);
      // A shared plugin outlives every Terraform run; only the rehearsal ends it.
      if (methodPath === answers.shutdown && !options.sharedSocket) setImmediate(shutdown);
    }) as grpc.handleUnaryCall<Buffer, Buffer>);
  }
  for (const [methodPath, { requestStream }] of Object.entries(answers.streams)) {
    add(methodPath, requestStream, true, ((stream: grpc.ServerWritableStream<Buffer, Buffer>) => {
      openStreams.add(stream);
      stream.on("cancelled", () => openStreams.delete(stream));
      // The broker's client ends its side when it closes; end ours too.
      if (requestStream) stream.on("end", () => { openStreams.delete(stream); stream.end(); });
    }) as grpc.handleServerStreamingCall<Buffer, Buffer>);
  }
  for (const [service, definition] of definitions) server.addService(definition, handlers.get(service)!);

  // AutoMTLS: Terraform passes its client certificate; the plugin then accepts only that client
  // and answers with its own certificate, which Terraform pins for the connection.
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  let credentials = grpc.ServerCredentials.createInsecure();
  let certField = "";
  if (clientCert) {
    const certPem = readFileSync(path.join(options.tlsDir, "server.crt"), "utf8");
    const keyPem = readFileSync(path.join(options.tlsDir, "server.key"));
    credentials = grpc.ServerCredentials.createSsl(Buffer.from(clientCert), [{ cert_chain: Buffer.from(certPem), private_key: keyPem }], true);
    // go-plugin sends the leaf certificate as unpadded base64 DER: the handshake is one line.
    const der = Buffer.from(certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, ""), "base64");
    certField = der.toString("base64").replace(/=+$/, "");
  }

  // A shared plugin is reached without TLS (a reattached plugin gets no client certificate), so it
  // listens on a socket in the rehearsal's private temporary folder, not on a port.
  const listen = options.sharedSocket ? `unix://${options.sharedSocket}` : "127.0.0.1:0";
  server.bindAsync(listen, options.sharedSocket ? grpc.ServerCredentials.createInsecure() : credentials, (error, port) => {
    if (error) fail(`The provider plugin could not listen on ${listen}: ${error.message}`);
    const address = options.sharedSocket ? `unix|${options.sharedSocket}` : `tcp|127.0.0.1:${port}`;
    process.stdout.write(`${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|${address}|grpc|${options.sharedSocket ? "" : certField}\n`);
  });

  // Terraform (or, for a shared plugin, the rehearsal) ends its plugins; if it dies first, do not linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
}
