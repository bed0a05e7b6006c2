/**
 * Demo data and development tools: the fictional schools and families a fresh clone starts with,
 * the development pages (/dev/...) and this morning's demo register. Only the development routes
 * and start-up use it.
 */
export * from './dev-tools';
export { takeDemoMorningRegister, type DemoRegisterResult } from './register';
export { seedDemoData } from './seed';
