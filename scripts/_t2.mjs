import { devEngine } from "./dev-engine.mjs";
const dev = await devEngine();
const { Session } = await import("node:inspector");
const session = new Session(); session.connect();
const post = (m, p) => new Promise((res, rej) => session.post(m, p, (e, r) => e ? rej(e) : res(r)));
await post("Profiler.enable"); await post("Profiler.setSamplingInterval", { interval: 10 }); await post("Profiler.start");
const t = performance.now(); dev.judge("git status && npm test"); console.log("first", (performance.now() - t).toFixed(2));
const { profile } = await post("Profiler.stop");
(await import("node:fs")).writeFileSync("/tmp/judge.cpuprofile", JSON.stringify(profile));
