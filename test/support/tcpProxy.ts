// Moved to src/chaos/ (the chaos run uses it in production code); kept here for existing imports.
export { startTcpProxy, type TcpProxy } from '../../src/chaos/tcpProxy';
