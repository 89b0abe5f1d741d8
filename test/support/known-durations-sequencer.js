/**
 * Jest runs the longest test files first when it knows how long each took (from its cache of the last run), so that
 * no long file starts last while the other workers sit idle. A fresh clone (every CI run) has no such cache, and
 * jest falls back to file size, which says little: a short file that starts a worker process can take a minute.
 * This sequencer fills the gap with the durations of a recorded run, test/durations.json (`npm run
 * test:durations`). A file in neither (a new one) runs first, as jest runs any file it has no time for.
 */
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const recorded = require('../durations.json');

const ROOT = path.resolve(__dirname, '../..');

class KnownDurationsSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? recorded[path.relative(ROOT, test.path)];
  }
}

module.exports = KnownDurationsSequencer;
