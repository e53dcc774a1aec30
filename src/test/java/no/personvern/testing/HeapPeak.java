package no.personvern.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * What a benchmark's JVM used of its heap: the maximum ({@code -Xmx}, 512 MiB in the benchmark
 * profile), the peak of each heap pool summed (an upper bound of the peak in use, garbage included:
 * the pools peak at different moments) and the heap left after the most recent collection (what was live then).
 * {@link #reset()} before the measured part, {@link #line()} after it.
 */
public final class HeapPeak {

    private HeapPeak() {
    }

    public static void reset() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** MiB: the pools' peaks summed (garbage included). */
    public static long peakMiB() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }

    /** MiB: the heap in use after the most recent collection of each pool (live data then, summed). */
    public static long liveAfterCollectionMiB() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null) {
                live += after.getUsed();
            }
        }
        return live >> 20;
    }

    public static long maxMiB() {
        return Runtime.getRuntime().maxMemory() >> 20;
    }

    /** One line for a benchmark's report. */
    public static String line() {
        return String.format("heap: max %,d MiB (-Xmx); peak in use %,d MiB (pools' peaks summed, garbage included);"
                + " after the last collection %,d MiB", maxMiB(), peakMiB(), liveAfterCollectionMiB());
    }
}
