package io.camrelay.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens and VMS tokens the simulator issued, each valid until its TTL passes. */
final class SimulatedTokens {

    /** The VMS token format XProtect uses (docs/protocols.md §3.2), host "sim". */
    static final String VMS_TOKEN_FORMAT = "TOKEN#%s#sim//ServerConnector#";

    private final Clock clock;
    private final Map<String, Instant> access = new ConcurrentHashMap<>();
    private final Map<String, Instant> vms = new ConcurrentHashMap<>();

    SimulatedTokens(Clock clock) {
        this.clock = clock;
    }

    String issueAccess(Duration ttl) {
        purge(access);
        String token = "sim-access-" + UUID.randomUUID().toString().replace("-", "");
        access.put(token, clock.instant().plus(ttl));
        return token;
    }

    boolean accessValid(String token) {
        return valid(access, token);
    }

    String issueVms(Duration ttl) {
        purge(vms);
        String token = String.format(VMS_TOKEN_FORMAT, UUID.randomUUID());
        vms.put(token, clock.instant().plus(ttl));
        return token;
    }

    boolean vmsValid(String token) {
        return valid(vms, token);
    }

    boolean vmsKnown(String token) {
        return token != null && vms.containsKey(token);
    }

    void revokeVms(String token) {
        vms.remove(token);
    }

    void revokeAllAccess() {
        access.clear();
    }

    void revokeAllVms() {
        vms.clear();
    }

    private boolean valid(Map<String, Instant> tokens, String token) {
        if (token == null) {
            return false;
        }
        Instant expiry = tokens.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    /** Drops tokens long expired, so a simulator running for days holds a bounded set. */
    private void purge(Map<String, Instant> tokens) {
        Instant cutoff = clock.instant().minus(Duration.ofHours(1));
        tokens.values().removeIf(expiry -> expiry.isBefore(cutoff));
    }
}
