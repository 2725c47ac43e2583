// jest.config.mjs
export default {
  globalSetup: './jest.global-setup.mjs',
  globalTeardown: './jest.global-teardown.mjs',
  testEnvironment: 'node',
  testMatch: ['**/*.test.cjs']
}
