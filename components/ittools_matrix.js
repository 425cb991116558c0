// The IT-tools matrix: one element per page, whatever the number of cells. The server sends the whole state once
// (prop `initial`, JSON) and then small patches (`apply`: a list of `patch` and `reset` steps); the component
// changes only what a patch names, so someone typing a note or choosing a score elsewhere is never interrupted. Native <table>, <select>, <textarea>
// and <input type=checkbox> elements keep it operable by keyboard and screen reader.
// At a width under 700 px it shows one tool at a time as a list of cards instead of the wide table.
//
// Rendering is fine-grained: each cell, each total and the ranking are small components that read the shared state
// themselves, so Vue re-renders only the components whose data a patch changed (one cell and the totals), never the
// whole table. The table itself re-renders only when tools, criteria or rights change.

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));

const MatrixCell = {
  props: { k: String, s: Object, ui: Object, t: Object, label: String },
  emits: ["score", "note", "focus", "blur", "restore", "dismiss"],
  data() {
    return { noteOpen: false, draft: null };
  },
  computed: {
    value() {
      if (this.s.rights.private) return this.s.private[this.k] ?? null;
      const entry = this.s.scores[this.k];
      return entry ? entry.v : null;
    },
    by() {
      const entry = this.s.scores[this.k];
      return entry && !entry.mine && !this.s.rights.private ? entry.by : "";
    },
    note() {
      const entry = this.s.notes[this.k];
      return entry ? entry.v : "";
    },
    editing() {
      const name = this.s.editing[this.k];
      return name ? fill(this.t.editing, { name }) : "";
    },
    stats() {
      return this.s.rights.stats ? this.s.stats[this.k] : null;
    },
    conflict() {
      const conflict = (this.s.conflicts || {})[this.k];
      return conflict ? conflict.text : "";
    },
    selected() {
      return this.value === null || this.value === undefined ? "" : String(this.value);
    },
    scoreText() {
      if (this.value === null || this.value === undefined) return this.t.unscored;
      return this.value + " · " + this.t.scores[this.value];
    },
    canNote() {
      return this.s.rights.notes && !this.s.rights.private;
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
        this.draft = this.note || "";
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
    <div class="cop-cell" :class="{'cop-cell--editing': editing, 'cop-cell--flash': ui.flashing[k],
                                   'cop-cell--disagree': stats && stats.disagree}"
         @focusin="$emit('focus')" @focusout="$emit('blur')">
      <div v-if="stats" class="cop-cell__stats" :title="stats.detail">
        <span class="cop-cell__proposal">{{ stats.text }}</span>
        <span>{{ stats.range }}</span>
        <span class="cop-sr-only">{{ stats.detail }}</span>
        <span v-if="stats.disagree" class="cop-cell__disagree"><span aria-hidden="true">⚠ </span>{{ t.disagreement }}</span>
      </div>
      <select v-if="s.rights.cells" class="cop-select" :aria-label="label" :value="selected" @change="changed">
        <option value="">{{ t.unscored_option }}</option>
        <option v-for="(name, score) in t.scores" :key="score" :value="String(score)">{{ score }} · {{ name }}</option>
      </select>
      <span v-else class="cop-cell__score" :aria-label="label + ': ' + scoreText">{{ scoreText }}</span>
      <span v-if="by" class="cop-cell__by">{{ by }}</span>
      <span v-if="ui.pending[k]" class="cop-cell__pending">{{ t.saving }}</span>
      <div v-if="editing" class="cop-cell__editing"><span aria-hidden="true">✎ </span>{{ editing }}</div>
      <div v-if="conflict" class="cop-cell__conflict" role="status">
        <span>{{ conflict }}</span>{{ ' ' }}<button type="button" class="cop-link-button" @click="$emit('restore')">{{ t.restore_mine }}</button>
        <button type="button" class="cop-link-button" @click="$emit('dismiss')">{{ t.keep_theirs }}</button>
      </div>
      <p v-if="note && !noteOpen" class="cop-cell__note">{{ note }}</p>
      <template v-if="canNote">
        <button type="button" ref="noteButton" class="cop-link-button cop-cell__note-button"
                :aria-expanded="noteOpen ? 'true' : 'false'"
                :aria-label="(note ? t.edit_note : t.add_note) + ': ' + label" @click="toggleNote">
          {{ note ? t.edit_note : t.add_note }}
        </button>
        <div v-if="noteOpen" class="cop-cell__note-editor">
          <textarea ref="note" v-model="draft" :aria-label="t.note_label + ': ' + label" :maxlength="t.note_max" rows="3"
                    @keydown="noteKey"></textarea>
          <div class="cop-cell__note-actions">
            <button type="button" class="cop-button" @click="saveNote">{{ t.save_note }}</button>
            <button type="button" class="cop-link-button" @click="cancelNote">{{ t.cancel }}</button>
          </div>
        </div>
      </template>
    </div>`,
};

const MatrixTotal = {
  props: { toolId: String, s: Object, t: Object, inline: Boolean },
  computed: {
    total() {
      return (this.s.totals || {})[this.toolId] || null;
    },
  },
  methods: {
    fill(template, values) {
      return fill(template, values);
    },
  },
  template: `
    <template v-if="total">
      <span v-if="inline">{{ t.total_inline }} </span><span class="cop-matrix__pct">{{ total.pct }}</span>
      <span class="cop-matrix__rank">{{ fill(t.rank, {rank: total.rank}) }}</span>
      <span v-if="total.excluded" class="cop-badge cop-badge--danger">{{ t.excluded }}</span>
    </template>
    <span v-else-if="s.rights.private" class="cop-matrix__hidden"><span v-if="inline">{{ t.total_inline }} </span>{{ t.hidden_until_reveal }}</span>`,
};

const MatrixRanking = {
  props: { s: Object, t: Object },
  computed: {
    rows() {
      const totals = this.s.totals || {};
      return this.s.tools
        .filter((tool) => totals[tool.id])
        .map((tool) => ({ tool, total: totals[tool.id] }))
        .sort((a, b) => a.total.rank - b.total.rank);
    },
  },
  methods: {
    fill(template, values) {
      return fill(template, values);
    },
  },
  template: `
    <section v-if="rows.length" class="cop-matrix__ranking" :aria-label="t.ranking">
      <p class="cop-matrix__ranking-title" aria-hidden="true">{{ t.ranking }}</p>
      <ol>
        <li v-for="row in rows" :key="row.tool.id" :class="{'cop-excluded': row.total.excluded}">
          <span class="cop-matrix__ranking-name">{{ row.total.rank }}. {{ row.tool.name }}</span>
          <span class="cop-matrix__bar" aria-hidden="true"><span :style="{transform: 'scaleX(' + row.total.width / 100 + ')'}"></span></span>
          <span class="cop-matrix__ranking-pct">{{ row.total.pct }}</span>
          <span v-if="row.total.excluded" class="cop-badge cop-badge--danger">{{ fill(t.fails, {criteria: row.total.failed}) }}</span>
        </li>
      </ol>
    </section>`,
};

const MatrixStatus = {
  props: { ui: Object },
  template: `<div class="cop-sr-only" aria-live="polite" role="status">{{ ui.status }}</div>`,
};

export default {
  components: { MatrixCell, MatrixTotal, MatrixRanking, MatrixStatus },
  props: { initial: String, texts: String },
  data() {
    const s = JSON.parse(this.initial);
    s.conflicts = s.conflicts || {};
    return {
      s,
      t: JSON.parse(this.texts),
      // what only this browser knows: edits on their way, cells that just changed, the spoken status
      ui: { pending: {}, flashing: {}, status: "" },
      compact: false,
      tool: s.tools.length ? s.tools[0].id : null,
      seq: 0,
      focusTimer: null,
      focused: null,
      uid: Math.random().toString(36).slice(2),
    };
  },
  computed: {
    currentTool() {
      return this.s.tools.find((tool) => tool.id === this.tool) || this.s.tools[0];
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
      const rights = this.s.rights;
      const template = rights.private ? this.t.private_label : rights.stats ? this.t.agreed_label : this.t.score_label;
      return fill(template, { tool: tool.name, criterion: criterion.title });
    },
    // --- from the server ------------------------------------------------------------------------------------------
    apply(steps) {
      // the patches and resets the server queued for this page since its last message, in order
      for (const [method, payload] of steps) {
        if (method === "patch") this.patch(payload);
        else if (method === "reset") this.reset(payload);
      }
    },
    reset(state) {
      state.conflicts = state.conflicts || {};
      this.s = state;
      if (!state.tools.some((tool) => tool.id === this.tool)) this.tool = state.tools.length ? state.tools[0].id : null;
      this.ui.pending = {};
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
      for (const [key, conflict] of Object.entries(p.conflicts || {})) {
        if (conflict === null) delete s.conflicts[key];
        else {
          s.conflicts[key] = conflict;
          this.say(conflict.text);
        }
      }
      if (p.ack) this.acknowledge(p.ack);
    },
    acknowledge(ack) {
      // a refused edit comes with what the server holds for that cell now (applied by patch before this), so the
      // cell shows the server's value, which may already be someone else's newer one
      let matched = false;
      for (const [key, pending] of Object.entries(this.ui.pending)) {
        if (pending.seq !== ack.seq) continue;
        matched = true;
        delete this.ui.pending[key];
      }
      if (!ack.ok) this.say(ack.message);
      else if (matched) this.say(this.t.saved);
    },
    say(text) {
      this.ui.status = "";
      this.$nextTick(() => (this.ui.status = text || ""));
    },
    flash(key) {
      this.ui.flashing[key] = true;
      setTimeout(() => delete this.ui.flashing[key], 1600);
    },
    // --- to the server --------------------------------------------------------------------------------------------
    setScore(tool, criterion, value) {
      const key = this.key(tool, criterion);
      const seq = ++this.seq;
      this.ui.pending[key] = { seq };
      if (this.s.rights.private) {
        if (value === null) delete this.s.private[key];
        else this.s.private[key] = value;
      } else {
        const previous = this.s.scores[key];
        this.s.scores[key] = { v: value, by: "", mine: true, rev: previous ? previous.rev : 0 };
      }
      this.$emit("score", { key, value, seq });
    },
    setNote(tool, criterion, text) {
      const key = this.key(tool, criterion);
      const seq = ++this.seq;
      this.ui.pending[key] = { seq };
      this.$emit("note", { key, text, seq });
    },
    restore(tool, criterion) {
      this.$emit("restore", { key: this.key(tool, criterion), seq: ++this.seq });
    },
    dismiss(tool, criterion) {
      const key = this.key(tool, criterion);
      delete this.s.conflicts[key];
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
      <matrix-status :ui="ui"></matrix-status>
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
                      <option v-for="w in t.weights" :key="w" :value="String(w)">{{ w }}</option>
                    </select>
                    <label class="cop-check"><input type="checkbox" :checked="criterion.must"
                           @change="setMust(criterion, $event)"> {{ t.must_short }}<span class="cop-sr-only">: {{ criterion.title }}</span></label>
                  </template>
                  <span v-else class="cop-matrix__weight-value">{{ criterion.weight }}</span>
                  <span class="cop-matrix__share">{{ criterion.share }}</span>
                </td>
                <td v-for="tool in s.tools" :key="tool.id" class="cop-matrix__cell">
                  <matrix-cell :k="key(tool, criterion)" :s="s" :ui="ui" :t="t" :label="label(tool, criterion)"
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
                  <matrix-total :tool-id="tool.id" :s="s" :t="t"></matrix-total>
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
          <p v-if="currentTool && (s.rights.totals || s.rights.private)" class="cop-matrix__tool-total">
            <matrix-total :tool-id="currentTool.id" :s="s" :t="t" inline></matrix-total>
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
                    <option v-for="w in t.weights" :key="w" :value="String(w)">{{ w }}</option>
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
            <matrix-cell :k="key(currentTool, criterion)" :s="s" :ui="ui" :t="t" :label="label(currentTool, criterion)"
                         @score="(v) => setScore(currentTool, criterion, v)" @note="(v) => setNote(currentTool, criterion, v)"
                         @restore="restore(currentTool, criterion)" @dismiss="dismiss(currentTool, criterion)"
                         @focus="focusCell(currentTool, criterion)" @blur="blurCell"></matrix-cell>
          </li>
        </ul>
      </template>
      <matrix-ranking v-if="s.rights.totals" :s="s" :t="t"></matrix-ranking>
    </div>`,
};
