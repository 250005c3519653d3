'use strict';
const axios = require('axios');
const { withTimeout } = require('@resilience-kit/policies');

async function send(url, payload) {
  return withTimeout(10_000, (signal) => axios.post(url, payload, { signal }));
}

module.exports = { send };
