// What each kind of decoy plants: file names where agents and malware look but no tool loads by
// itself (see loaded.ts), and content that reads like a real credential, with fresh tokens.
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { loadedByTools } from "./loaded.ts";
import { ed25519KeyPair } from "./sshkey.ts";
import { digits, hex, tokens as t } from "./tokens.ts";
import type { DecoyKind, DecoyRole, TripProtocol } from "./types.ts";

export interface PlannedFile {
  readonly id: string;
  readonly kind: DecoyKind;
  readonly role: DecoyRole;
  readonly path: string;
  readonly content: string;
  readonly mode: number;
  readonly tokens: readonly string[];
  readonly watch: boolean;
  readonly trip?: TripProtocol;
  /** Planted files this one depends on without naming their path (docker names its helper by suffix). */
  readonly requires?: readonly string[];
}

export interface PlanContext {
  readonly home: string;
  /** Where project decoys (.env backups) go. */
  readonly dir: string;
  /** Builds a tripwire script that runs `guard canary trip <id>`. */
  readonly tripScript: (id: string) => string;
  /** Decoy host names end in this (a reserved TLD: never resolves, never reaches anyone). */
  readonly domain: string;
  /** Opt-in: a directory of the user's on PATH, for the docker credential helper tripwire. */
  readonly dockerHelperDir?: string;
}

const id = (kind: string) => `${kind}-${hex(4)}`;

function file(
  kind: DecoyKind,
  role: DecoyRole,
  path: string,
  content: string,
  tokens: readonly string[],
  extra: Partial<PlannedFile> = {},
): PlannedFile {
  return {
    id: id(kind),
    kind,
    role,
    path,
    content,
    mode: 0o600,
    tokens,
    watch: role !== "tripwire",
    ...extra,
  };
}

function tripwire(kind: DecoyKind, path: string, trip: TripProtocol, ctx: PlanContext): PlannedFile {
  const tid = id(kind);
  return {
    id: tid,
    kind,
    role: "tripwire",
    path,
    content: ctx.tripScript(tid),
    mode: 0o700,
    tokens: [],
    watch: false,
    trip,
  };
}

function aws(ctx: PlanContext): PlannedFile[] {
  const helper = tripwire("aws", join(ctx.home, ".aws", "sso-credential-helper"), "aws", ctx);
  const [key, secret] = [t.awsAccessKeyId(), t.awsSecretAccessKey()];
  const text = `[legacy-ci]\naws_access_key_id = ${key}\naws_secret_access_key = ${secret}\nregion = us-east-1\n\n[prod-admin]\ncredential_process = ${helper.path} --profile prod-admin\nregion = us-east-1\n`;
  return [helper, file("aws", "credential", join(ctx.home, ".aws", "credentials.bak"), text, [key, secret])];
}

function ssh(ctx: PlanContext): PlannedFile[] {
  const key = ed25519KeyPair("deploy@prod-db-01");
  const priv = join(ctx.home, ".ssh", "prod_db_ed25519");
  const proxy = tripwire("ssh", join(ctx.home, ".ssh", "bastion-proxy"), "ssh", ctx);
  const host = `prod-db-01.${ctx.domain}`;
  const config = `Host prod-db-01 ${host}\n    HostName ${host}\n    User deploy\n    IdentityFile ${priv}\n    IdentitiesOnly yes\n    ProxyCommand ${proxy.path} %h %p\n`;
  return [
    file("ssh", "credential", priv, key.privateKey, [key.privateKey.split("\n")[3] as string]),
    file("ssh", "credential", `${priv}.pub`, key.publicKey, [key.blob], { mode: 0o644, watch: false }),
    proxy,
    file("ssh", "config", join(ctx.home, ".ssh", "config.d", "prod-db.conf"), config, []),
  ];
}

function kube(ctx: PlanContext): PlannedFile[] {
  const plugin = tripwire("kube", join(ctx.home, ".kube", "kubectl-oidc_login"), "kube", ctx);
  const secret = t.password();
  const text = `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: https://prod-eks.${ctx.domain}:6443
  name: prod-eks
contexts:
- context:
    cluster: prod-eks
    namespace: default
    user: prod-admin
  name: prod-eks
current-context: prod-eks
users:
- name: prod-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ${plugin.path}
      args:
      - get-token
      - --oidc-issuer-url=https://sso.${ctx.domain}/realms/prod
      - --oidc-client-id=kubernetes
      - --oidc-client-secret=${secret}
      interactiveMode: Never
      provideClusterInfo: false
`;
  return [plugin, file("kube", "config", join(ctx.home, ".kube", "prod-eks.yaml"), text, [secret])];
}

function gcp(ctx: PlanContext): PlannedFile[] {
  const project = `prod-platform-${digits(6)}`;
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const keyId = hex(20);
  const sa = {
    type: "service_account",
    project_id: project,
    private_key_id: keyId,
    private_key: pem,
    client_email: `prod-deployer@${project}.iam.gserviceaccount.com`,
    client_id: digits(21),
    auth_uri: "https://accounts.google.com/o/oauth2/auth",
    token_uri: "https://oauth2.googleapis.com/token",
    auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/prod-deployer%40${project}.iam.gserviceaccount.com`,
    universe_domain: "googleapis.com",
  };
  return [
    file(
      "gcp",
      "credential",
      join(ctx.home, ".config", "gcloud", "prod-deployer.json"),
      JSON.stringify(sa, null, 2) + "\n",
      [keyId, pem.split("\n")[4] as string],
    ),
  ];
}

function env(ctx: PlanContext): PlannedFile[] {
  const [db, stripe, openai, key, secret] = [
    t.password(),
    t.stripeKey(),
    t.openaiKey(),
    t.awsAccessKeyId(),
    t.awsSecretAccessKey(),
  ];
  const text = `NODE_ENV=production\nDATABASE_URL=postgres://app:${db}@prod-db-01.${ctx.domain}:5432/app\nSTRIPE_SECRET_KEY=${stripe}\nOPENAI_API_KEY=${openai}\nAWS_ACCESS_KEY_ID=${key}\nAWS_SECRET_ACCESS_KEY=${secret}\n`;
  return [
    file("env", "credential", join(ctx.dir, ".env.production.bak"), text, [db, stripe, openai, key, secret]),
  ];
}

function npm(ctx: PlanContext): PlannedFile[] {
  const [corp, pub] = [t.npmToken(), t.npmToken()];
  const text = `@corp:registry=https://npm.${ctx.domain}/\n//npm.${ctx.domain}/:_authToken=${corp}\n//registry.npmjs.org/:_authToken=${pub}\n`;
  return [file("npm", "credential", join(ctx.home, ".npmrc.bak"), text, [corp, pub])];
}

function docker(ctx: PlanContext): PlannedFile[] {
  const [corp, hub] = [t.dockerPat(), t.dockerPat()];
  const auth = (user: string, pat: string) => Buffer.from(`${user}:${pat}`).toString("base64");
  const [a1, a2] = [auth("deploy", corp), auth("corpdeploy", hub)];
  const registry = `registry.${ctx.domain}`;
  // docker runs docker-credential-<name> from PATH for a registry listed in credHelpers, before it
  // contacts any daemon or registry: a tripwire, but only where the user has a bin directory on PATH.
  const helper = ctx.dockerHelperDir
    ? tripwire("docker", join(ctx.dockerHelperDir, "docker-credential-corp-ecr"), "docker", ctx)
    : undefined;
  const cfg = {
    auths: { [registry]: { auth: a1 }, "https://index.docker.io/v1/": { auth: a2 } },
    ...(helper ? { credHelpers: { [registry]: "corp-ecr" } } : {}),
  };
  const config = file(
    "docker",
    "credential",
    join(ctx.home, ".docker", "config.json.bak"),
    JSON.stringify(cfg, null, "\t") + "\n",
    [corp, hub, a1, a2],
    helper ? { requires: [helper.path] } : {},
  );
  return helper ? [helper, config] : [config];
}

function git(ctx: PlanContext): PlannedFile[] {
  const [pat, pw] = [t.githubPat(), t.password()];
  const primary = join(ctx.home, ".git-credentials");
  const path = loadedByTools(primary, ctx.home) ? `${primary}.bak` : primary;
  return [
    file(
      "git",
      "credential",
      path,
      `https://deploy-bot:${pat}@github.${ctx.domain}\nhttps://ci:${pw}@git.${ctx.domain}\n`,
      [pat, pw],
    ),
  ];
}

function netrc(ctx: PlanContext): PlannedFile[] {
  const [key, pat] = [t.password() + t.password(), t.githubPat()];
  const text = `machine artifactory.${ctx.domain}\n  login deploy\n  password ${key}\n\nmachine github.${ctx.domain}\n  login deploy-bot\n  password ${pat}\n`;
  return [file("netrc", "credential", join(ctx.home, ".netrc.old"), text, [key, pat])];
}

const KINDS: Record<DecoyKind, (ctx: PlanContext) => PlannedFile[]> = {
  aws,
  ssh,
  kube,
  gcp,
  env,
  npm,
  docker,
  git,
  netrc,
};

/** The files one kind plants, tripwire scripts before the configs that name them. */
export function planKind(kind: DecoyKind, ctx: PlanContext): PlannedFile[] {
  return KINDS[kind](ctx);
}
