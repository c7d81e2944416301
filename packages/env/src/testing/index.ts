/**
 * Test helpers for the env package's backends (not part of the published package: see the
 * `files` field of package.json). FakeCluster is a miniature OpenFaaS-on-Kubernetes.
 */
export { FakeCluster, fakeImage, podProcess, type FakeClusterOptions, type FakePod, type PodProcess } from './fake-cluster.js';
export type { Edition, FunctionDeployment } from './fake-faas-netes.js';
