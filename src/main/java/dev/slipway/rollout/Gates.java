package dev.slipway.rollout;

import dev.slipway.api.v1alpha1.GateSpec;
import dev.slipway.api.v1alpha1.GateStatus;
import dev.slipway.api.v1alpha1.MeasurementRecord;
import dev.slipway.gate.GateJudge;
import dev.slipway.gate.GateSettings;
import dev.slipway.gate.GateTally;
import dev.slipway.gate.GateVerdict;
import dev.slipway.gate.GoDuration;
import dev.slipway.gate.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping of gate runs kept in status, shared by the canary and blue-green planners: when each is due,
 * recording a measurement, and what it says. Pure.
 */
public final class Gates {
  private Gates() {}

  static final int RECENT_MEASUREMENTS = 10;

  /** One gate measured in one place: a canary step, or null (a background or blue-green gate). */
  public record GateRun(String name, Integer step) {}

  static GateStatus start(String name, Integer step, Instant at) {
    GateStatus g = new GateStatus();
    g.name = name;
    g.step = step;
    g.phase = GateVerdict.Phase.Running.name();
    g.startedAt = at.toString();
    return g;
  }

  /** Still taking measurements: running, or inconclusive for want of data. */
  static boolean measuring(GateStatus g) {
    return GateVerdict.Phase.Running.name().equals(g.phase) || GateVerdict.Phase.Inconclusive.name().equals(g.phase);
  }

  static boolean is(GateStatus g, GateVerdict.Phase phase) {
    return phase.name().equals(g.phase);
  }

  /** Left without a verdict: its step was skipped, or the gate left the policy. */
  static final String SKIPPED = "Skipped";

  /** Nothing more to wait for: it passed, or was skipped. */
  static boolean done(GateStatus g) {
    return is(g, GateVerdict.Phase.Successful) || SKIPPED.equals(g.phase);
  }

  /** The runs among `gates` whose next measurement is due: one interval after the last, or after the start. */
  static List<GateRun> due(List<GateStatus> gates, Map<String, GateSpec> specs, Instant now) {
    return gates.stream().filter(Gates::measuring)
        .filter(g -> specs.containsKey(g.name) && !nextMeasurement(g, specs.get(g.name)).isAfter(now))
        .map(g -> new GateRun(g.name, g.step)).toList();
  }

  static Instant nextMeasurement(GateStatus g, GateSpec spec) {
    Instant last = Instant.parse(g.lastMeasuredAt != null ? g.lastMeasuredAt : g.startedAt);
    return last.plus(GoDuration.parse(spec.interval));
  }

  /** The soonest moment a measuring gate needs a look: its next measurement, or the end of its patience for data. */
  static Instant nextLook(GateStatus g, GateSpec spec) {
    Instant next = nextMeasurement(g, spec);
    if (g.noDataSince != null) {
      Instant timeout = Instant.parse(g.noDataSince).plus(GoDuration.parse(spec.inconclusiveTimeout));
      return timeout.isBefore(next) ? timeout : next;
    }
    return next;
  }

  /** A measuring gate that left the policy is Skipped (true); it can neither pass nor fail any more. */
  static boolean skipIfRemoved(GateStatus g, Map<String, GateSpec> specs) {
    if (!measuring(g) || specs.containsKey(g.name)) {
      return false;
    }
    g.phase = SKIPPED;
    g.message = "no longer in the policy";
    return true;
  }

  /** What an unfinished gate is at, for people: its verdict's reason, or when it first measures. */
  static String progress(GateStatus g, GateSpec spec) {
    return g.message != null ? g.message : "first measurement due " + nextMeasurement(g, spec);
  }

  /** The earliest of `soonest` (null: none) and the next look of every measuring gate still in the policy. */
  static Instant soonestLook(List<GateStatus> gates, Map<String, GateSpec> specs, Instant soonest) {
    for (GateStatus g : gates) {
      GateSpec spec = specs.get(g.name);
      if (measuring(g) && spec != null) {
        Instant next = nextLook(g, spec);
        soonest = soonest == null || next.isBefore(soonest) ? next : soonest;
      }
    }
    return soonest;
  }

  /** How long until `at` (null: no wake-up), at least 200 ms so that a due look never spins. */
  static Duration until(Instant now, Instant at) {
    if (at == null) {
      return null;
    }
    Duration d = Duration.between(now, at);
    return d.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : d;
  }

  private static final Duration MIN_WAIT = Duration.ofMillis(200);

  /** Adds this reconcile's measurements to the gates still measuring. */
  static void record(List<GateStatus> gates, Map<GateRun, Measurement> measured, Map<String, String> queries) {
    for (GateStatus g : gates) {
      Measurement m = measured.get(new GateRun(g.name, g.step));
      if (m == null || !measuring(g)) {
        continue;
      }
      GateTally t = tally(g).add(m);
      g.measurements = t.taken();
      g.passed = t.passed();
      g.failures = t.failed();
      g.noData = t.noData();
      g.consecutiveErrors = t.consecutiveErrors();
      g.consecutiveNoData = t.consecutiveNoData();
      g.noDataSince = t.noDataSince() == null ? null : t.noDataSince().toString();
      g.lastValue = t.lastValue();
      g.lastError = t.lastError();
      g.lastMeasuredAt = m.at().toString();
      MeasurementRecord r = new MeasurementRecord();
      r.at = m.at().toString();
      r.outcome = m.outcome().name();
      r.value = m.value();
      r.error = m.error();
      g.recent.add(r);
      if (g.recent.size() > RECENT_MEASUREMENTS) {
        g.recent = new ArrayList<>(g.recent.subList(g.recent.size() - RECENT_MEASUREMENTS, g.recent.size()));
      }
      g.query = queries.getOrDefault(g.name, g.query);
    }
  }

  /** Judges a measuring gate from its tally and sets its phase and message; the verdict. */
  static GateVerdict judge(GateStatus g, GateSettings settings, Instant now) {
    GateVerdict v = GateJudge.judge(settings, tally(g), now);
    g.phase = v.phase().name();
    g.message = v.reason();
    return v;
  }

  static GateTally tally(GateStatus g) {
    return new GateTally(g.measurements, g.passed, g.failures, g.noData, g.consecutiveErrors, g.consecutiveNoData,
        g.noDataSince == null ? null : Instant.parse(g.noDataSince), g.lastValue, g.lastError);
  }
}
