'use strict';
const axios = require('axios');

async function send(url, payload) {
  return axios.post(url, payload);
}

module.exports = { send };
