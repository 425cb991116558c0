// The IT-tools matrix: one element per page, whatever the number of cells. The server sends the whole state once
// (prop `initial`, JSON) and then small patches (`patch`, `reset`); the component changes only what a patch names,
// so someone typing a note or choosing a score elsewhere is never interrupted. Native <table>, <select>, <textarea>
// and <input type=checkbox> elements keep it operable by keyboard and screen reader.
// At a width under 700 px it shows one tool at a time as a list of cards instead of the wide table.

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));

const MatrixCell = {
  props: ["cell", "t", "rights", "label", "flash"],
  emits: ["score", "note", "focus", "blur", "restore", "dismiss"],
  data() {
    return { noteOpen: false, draft: null };
  },
  computed: {
    value() {
      return this.cell.value === null || this.cell.value === undefined ? "" : String(this.cell.value);
    },
    scoreText() {
      if (this.cell.value === null || this.cell.value === undefined) return this.t.unscored;
      return this.cell.value + " · " + this.t.scores[this.cell.value];
    },
    canNote() {
      return this.rights.notes && !this.rights.private;
    },
  },
  methods: {
    changed(event) {
      const raw = event.target.value;
      this.$emit("score", raw === "" ? null : Number(raw));
    },
    toggleNote() {
      this.noteOpen = !this.noteOpen;
      if (this.noteOpen) {
        this.draft = this.cell.note || "";
        this.$nextTick(() => this.$refs.note && this.$refs.note.focus());
      }
    },
    saveNote() {
      this.$emit("note", this.draft || "");
      this.noteOpen = false;
      this.draft = null;
      this.$nextTick(() => this.$refs.noteButton && this.$refs.noteButton.focus());
    },
    cancelNote() {
      this.noteOpen = false;
      this.draft = null;
      this.$nextTick(() => this.$refs.noteButton && this.$refs.noteButton.focus());
    },
    noteKey(event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) this.saveNote();
      if (event.key === "Escape") this.cancelNote();
    },
  },
  template: `
    <div class="cop-cell" :class="{'cop-cell--editing': cell.editing, 'cop-cell--flash': flash,
                                   'cop-cell--disagree': cell.stats && cell.stats.disagree}"
         @focusin="$emit('focus')" @focusout="$emit('blur')">
      <div v-if="cell.stats" class="cop-cell__stats">
        <span>{{ t.mean }} {{ cell.stats.mean }} · {{ cell.stats.low }}–{{ cell.stats.high }} · n={{ cell.stats.n }}</span>
        <span v-if="cell.stats.disagree" class="cop-cell__disagree"><span aria-hidden="true">⚠ </span>{{ t.disagreement }}</span>
      </div>
      <select v-if="rights.cells" class="cop-select" :aria-label="label" :value="value" @change="changed">
        <option value="">{{ t.unscored_option }}</option>
        <option v-for="(name, score) in t.scores" :key="score" :value="String(score)">{{ score }} · {{ name }}</option>
      </select>
      <span v-else class="cop-cell__score" :aria-label="label + ': ' + scoreText">{{ scoreText }}</span>
      <span v-if="cell.mine === false && cell.by && !rights.private" class="cop-cell__by">{{ cell.by }}</span>
      <span v-if="cell.pending" class="cop-cell__pending">{{ t.saving }}</span>
      <div v-if="cell.editing" class="cop-cell__editing"><span aria-hidden="true">✎ </span>{{ cell.editing }}</div>
      <div v-if="cell.conflict" class="cop-cell__conflict" role="status">
        <span>{{ cell.conflict.text }}</span>
        <button type="button" class="cop-link-button" @click="$emit('restore')">{{ t.restore_mine }}</button>
        <button type="button" class="cop-link-button" @click="$emit('dismiss')">{{ t.keep_theirs }}</button>
      </div>
      <p v-if="cell.note && !noteOpen" class="cop-cell__note">{{ cell.note }}</p>
      <template v-if="canNote">
        <button type="button" ref="noteButton" class="cop-link-button cop-cell__note-button" :aria-expanded="noteOpen ? 'true' : 'false'"
                :aria-label="(cell.note ? t.edit_note : t.add_note) + ': ' + label" @click="toggleNote">
          {{ cell.note ? t.edit_note : t.add_note }}
        </button>
        <div v-if="noteOpen" class="cop-cell__note-editor">
          <textarea ref="note" v-model="draft" :aria-label="t.note_label + ': ' + label" maxlength="500" rows="3"
                    @keydown="noteKey"></textarea>
          <div class="cop-cell__note-actions">
            <button type="button" class="cop-button" @click="saveNote">{{ t.save_note }}</button>
            <button type="button" class="cop-link-button" @click="cancelNote">{{ t.cancel }}</button>
          </div>
        </div>
      </template>
    </div>`,
};

export default {
  components: { MatrixCell },
  props: { initial: String, texts: String },
  data() {
    const s = JSON.parse(this.initial);
    return {
      s,
      t: JSON.parse(this.texts),
      compact: false,
      tool: s.tools.length ? s.tools[0].id : null,
      pending: {},
      seq: 0,
      status: "",
      flashing: {},
      focusTimer: null,
      focused: null,
      uid: Math.random().toString(36).slice(2),
    };
  },
  computed: {
    ranking() {
      const totals = this.s.totals || {};
      return this.s.tools
        .filter((tool) => totals[tool.id])
        .map((tool) => ({ tool, total: totals[tool.id] }))
        .sort((a, b) => a.total.rank - b.total.rank);
    },
    currentTool() {
      return this.s.tools.find((tool) => tool.id === this.tool) || this.s.tools[0];
    },
    showTotals() {
      return this.s.rights.totals && Object.keys(this.s.totals || {}).length > 0;
    },
  },
  mounted() {
    this.media = window.matchMedia("(max-width: 699px)");
    this.compact = this.media.matches;
    this.onMedia = (event) => (this.compact = event.matches);
    this.media.addEventListener("change", this.onMedia);
  },
  unmounted() {
    this.media && this.media.removeEventListener("change", this.onMedia);
    clearTimeout(this.focusTimer);
  },
  methods: {
    fill(template, values) {
      return fill(template, values);
    },
    key(tool, criterion) {
      return tool.id + ":" + criterion.id;
    },
    label(tool, criterion) {
      const template = this.s.rights.private ? this.t.private_label : this.s.rights.stats ? this.t.agreed_label : this.t.score_label;
      return fill(template, { tool: tool.name, criterion: criterion.title });
    },
    cell(tool, criterion) {
      const key = this.key(tool, criterion);
      const score = this.s.rights.private ? { v: this.s.private[key] } : this.s.scores[key];
      const note = this.s.notes[key];
      const conflict = (this.s.conflicts || {})[key];
      return {
        value: score ? score.v : null,
        by: score && !score.mine ? score.by : "",
        mine: score ? !!score.mine : null,
        note: note ? note.v : "",
        editing: this.s.editing[key] ? fill(this.t.editing, { name: this.s.editing[key] }) : "",
        stats: this.s.rights.stats ? this.s.stats[key] : null,
        pending: !!this.pending[key],
        conflict: conflict ? { text: conflict.text } : null,
      };
    },
    // --- from the server ------------------------------------------------------------------------------------------
    reset(state) {
      this.s = state;
      if (!state.tools.some((tool) => tool.id === this.tool)) this.tool = state.tools.length ? state.tools[0].id : null;
      this.pending = {};
    },
    patch(p) {
      const s = this.s;
      for (const name of ["scores", "notes"]) {
        for (const [key, entry] of Object.entries(p[name] || {})) {
          const old = s[name][key];
          if (entry === null) delete s[name][key];
          else if (!old || old.rev === undefined || entry.rev >= old.rev) {
            s[name][key] = entry;
            if (!entry.mine) this.flash(key);
          }
        }
      }
      for (const [key, value] of Object.entries(p.private || {})) {
        if (value === null) delete s.private[key];
        else s.private[key] = value;
      }
      for (const name of ["criteria", "totals", "stats", "editing", "rights", "tools"]) {
        if (name in p) s[name] = p[name];
      }
      if (p.conflicts) {
        s.conflicts = s.conflicts || {};
        for (const [key, conflict] of Object.entries(p.conflicts)) {
          if (conflict === null) delete s.conflicts[key];
          else {
            s.conflicts[key] = conflict;
            this.say(conflict.text);
          }
        }
      }
      if (p.ack) this.acknowledge(p.ack);
    },
    acknowledge(ack) {
      let matched = false;
      for (const [key, pending] of Object.entries(this.pending)) {
        if (pending.seq !== ack.seq) continue;
        matched = true;
        if (!ack.ok) {
          // the server refused: show what it holds again
          if (pending.kind === "score") {
            if (this.s.rights.private) {
              if (pending.previous === null || pending.previous === undefined) delete this.s.private[key];
              else this.s.private[key] = pending.previous;
            } else if (pending.previous) this.s.scores[key] = pending.previous;
            else delete this.s.scores[key];
          }
          this.say(ack.message);
        } else {
          this.say(this.t.saved);
        }
        delete this.pending[key];
      }
      if (!matched && !ack.ok && ack.message) this.say(ack.message);
    },
    say(text) {
      this.status = "";
      this.$nextTick(() => (this.status = text));
    },
    flash(key) {
      this.flashing[key] = true;
      setTimeout(() => delete this.flashing[key], 1600);
    },
    // --- to the server --------------------------------------------------------------------------------------------
    setScore(tool, criterion, value) {
      const key = this.key(tool, criterion);
      const seq = ++this.seq;
      if (this.s.rights.private) {
        this.pending[key] = { seq, kind: "score", previous: this.s.private[key] };
        if (value === null) delete this.s.private[key];
        else this.s.private[key] = value;
      } else {
        const previous = this.s.scores[key];
        this.pending[key] = { seq, kind: "score", previous };
        this.s.scores[key] = { v: value, by: "", mine: true, rev: previous ? previous.rev : 0 };
      }
      this.$emit("score", { key, value, seq });
    },
    setNote(tool, criterion, text) {
      const key = this.key(tool, criterion);
      const seq = ++this.seq;
      this.pending[key] = { seq, kind: "note" };
      this.$emit("note", { key, text, seq });
    },
    restore(tool, criterion) {
      this.$emit("restore", { key: this.key(tool, criterion), seq: ++this.seq });
    },
    dismiss(tool, criterion) {
      const key = this.key(tool, criterion);
      if (this.s.conflicts) delete this.s.conflicts[key];
      this.$emit("dismiss", { key });
    },
    setWeight(criterion, event) {
      this.$emit("weight", { criterion: criterion.id, weight: Number(event.target.value), seq: ++this.seq });
    },
    setMust(criterion, event) {
      this.$emit("must", { criterion: criterion.id, must: event.target.checked, seq: ++this.seq });
    },
    focusCell(tool, criterion) {
      const key = this.key(tool, criterion);
      clearTimeout(this.focusTimer);
      if (this.focused === key) return;
      // announce only a real stay in a cell, not every cell passed while tabbing through the table
      this.focusTimer = setTimeout(() => {
        this.focused = key;
        this.$emit("focus", { key });
      }, 300);
    },
    blurCell() {
      clearTimeout(this.focusTimer);
      this.focusTimer = setTimeout(() => {
        if (this.focused !== null) this.$emit("blur", { key: this.focused });
        this.focused = null;
      }, 200);
    },
  },
  template: `
    <div class="cop-matrix" :class="{'cop-matrix--compact': compact}">
      <div class="cop-sr-only" aria-live="polite" role="status">{{ status }}</div>
      <template v-if="!compact">
        <div class="cop-matrix__scroll" role="region" :aria-label="t.caption" tabindex="0">
          <table class="cop-matrix__table">
            <caption class="cop-sr-only">{{ t.caption }}</caption>
            <thead>
              <tr>
                <th scope="col" class="cop-matrix__corner">{{ t.criterion }}</th>
                <th scope="col" class="cop-matrix__weight-head">{{ t.weight }}</th>
                <th v-for="tool in s.tools" :key="tool.id" scope="col" class="cop-matrix__tool">
                  <span class="cop-matrix__tool-name">{{ tool.name }}</span>
                  <span v-if="tool.kind" class="cop-matrix__tool-kind">{{ tool.kind }}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <tr v-for="criterion in s.criteria" :key="criterion.id">
                <th scope="row" class="cop-matrix__criterion">
                  <span class="cop-matrix__criterion-title">{{ criterion.title }}</span>
                  <span v-if="criterion.must" class="cop-badge">{{ t.must }}</span>
                  <details v-if="criterion.explanation" class="cop-matrix__explain">
                    <summary>{{ t.look_for }}</summary>
                    <p>{{ criterion.explanation }}</p>
                  </details>
                </th>
                <td class="cop-matrix__weight">
                  <template v-if="s.rights.weights">
                    <select class="cop-select cop-select--small" :aria-label="fill(t.weight_label, {criterion: criterion.title})"
                            :value="String(criterion.weight)" @change="setWeight(criterion, $event)">
                      <option v-for="w in [0, 1, 2, 3, 4, 5]" :key="w" :value="String(w)">{{ w }}</option>
                    </select>
                    <label class="cop-check"><input type="checkbox" :checked="criterion.must"
                           @change="setMust(criterion, $event)"> {{ t.must_short }}<span class="cop-sr-only">: {{ criterion.title }}</span></label>
                  </template>
                  <span v-else class="cop-matrix__weight-value">{{ criterion.weight }}</span>
                  <span class="cop-matrix__share">{{ criterion.share }}</span>
                </td>
                <td v-for="tool in s.tools" :key="tool.id" class="cop-matrix__cell">
                  <matrix-cell :cell="cell(tool, criterion)" :t="t" :rights="s.rights" :label="label(tool, criterion)"
                               :flash="!!flashing[key(tool, criterion)]"
                               @score="(v) => setScore(tool, criterion, v)" @note="(v) => setNote(tool, criterion, v)"
                               @restore="restore(tool, criterion)" @dismiss="dismiss(tool, criterion)"
                               @focus="focusCell(tool, criterion)" @blur="blurCell"></matrix-cell>
                </td>
              </tr>
            </tbody>
            <tfoot v-if="s.rights.totals || s.rights.private">
              <tr>
                <th scope="row" class="cop-matrix__corner">{{ t.total }}</th>
                <td></td>
                <td v-for="tool in s.tools" :key="tool.id" class="cop-matrix__total">
                  <template v-if="showTotals && s.totals[tool.id]">
                    <span class="cop-matrix__pct">{{ s.totals[tool.id].pct }}</span>
                    <span class="cop-matrix__rank">{{ fill(t.rank, {rank: s.totals[tool.id].rank}) }}</span>
                    <span v-if="s.totals[tool.id].excluded" class="cop-badge cop-badge--danger">{{ t.excluded }}</span>
                  </template>
                  <span v-else class="cop-matrix__hidden">{{ t.hidden_until_reveal }}</span>
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      </template>
      <template v-else>
        <div class="cop-matrix__picker">
          <label :for="'cop-tool-' + uid">{{ t.tool }}</label>
          <select :id="'cop-tool-' + uid" class="cop-select" v-model="tool">
            <option v-for="item in s.tools" :key="item.id" :value="item.id">{{ item.name }}</option>
          </select>
          <p v-if="showTotals && currentTool && s.totals[currentTool.id]" class="cop-matrix__tool-total">
            {{ t.total }}: <strong>{{ s.totals[currentTool.id].pct }}</strong>
            · {{ fill(t.rank, {rank: s.totals[currentTool.id].rank}) }}
            <span v-if="s.totals[currentTool.id].excluded" class="cop-badge cop-badge--danger">{{ t.excluded }}</span>
          </p>
        </div>
        <ul class="cop-matrix__cards" v-if="currentTool">
          <li v-for="criterion in s.criteria" :key="criterion.id" class="cop-matrix__card">
            <div class="cop-matrix__card-head">
              <span class="cop-matrix__criterion-title">{{ criterion.title }}</span>
              <span v-if="criterion.must" class="cop-badge">{{ t.must }}</span>
            </div>
            <div class="cop-matrix__card-meta">
              <template v-if="s.rights.weights">
                <label class="cop-check">{{ t.weight }}
                  <select class="cop-select cop-select--small" :aria-label="fill(t.weight_label, {criterion: criterion.title})"
                          :value="String(criterion.weight)" @change="setWeight(criterion, $event)">
                    <option v-for="w in [0, 1, 2, 3, 4, 5]" :key="w" :value="String(w)">{{ w }}</option>
                  </select></label>
                <label class="cop-check"><input type="checkbox" :checked="criterion.must" @change="setMust(criterion, $event)">
                  {{ t.must_short }}<span class="cop-sr-only">: {{ criterion.title }}</span></label>
              </template>
              <span v-else>{{ t.weight }} {{ criterion.weight }}</span>
              <span>{{ criterion.share }}</span>
            </div>
            <details v-if="criterion.explanation" class="cop-matrix__explain">
              <summary>{{ t.look_for }}</summary>
              <p>{{ criterion.explanation }}</p>
            </details>
            <matrix-cell :cell="cell(currentTool, criterion)" :t="t" :rights="s.rights" :label="label(currentTool, criterion)"
                         :flash="!!flashing[key(currentTool, criterion)]"
                         @score="(v) => setScore(currentTool, criterion, v)" @note="(v) => setNote(currentTool, criterion, v)"
                         @restore="restore(currentTool, criterion)" @dismiss="dismiss(currentTool, criterion)"
                         @focus="focusCell(currentTool, criterion)" @blur="blurCell"></matrix-cell>
          </li>
        </ul>
      </template>
      <section v-if="showTotals" class="cop-matrix__ranking" :aria-label="t.ranking">
        <p class="cop-matrix__ranking-title" aria-hidden="true">{{ t.ranking }}</p>
        <ol>
          <li v-for="row in ranking" :key="row.tool.id" :class="{'cop-excluded': row.total.excluded}">
            <span class="cop-matrix__ranking-name">{{ row.total.rank }}. {{ row.tool.name }}</span>
            <span class="cop-matrix__bar" aria-hidden="true"><span :style="{width: row.total.width + '%'}"></span></span>
            <span class="cop-matrix__ranking-pct">{{ row.total.pct }}</span>
            <span v-if="row.total.excluded" class="cop-badge cop-badge--danger">{{ fill(t.fails, {criteria: row.total.failed}) }}</span>
          </li>
        </ol>
      </section>
    </div>`,
};
