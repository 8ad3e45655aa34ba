package io.camrelay.bench;

import io.camrelay.media.AnnexB;

/** Finds NAL unit types in an Annex B access unit (benchmark setup only). */
final class AnnexBScan {

    private AnnexBScan() {
    }

    static boolean containsNalType(byte[] unit, int type) {
        boolean[] found = {false};
        AnnexB.forEachNalUnit(unit, (from, to) -> found[0] |= (unit[from] & 0x1F) == type);
        return found[0];
    }
}
