// The light build of Bottleneck (no Redis clustering) that the Octokit plugins use, typed as the full one.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
