package io.camrelay.schedule;

import io.camrelay.support.Secrets;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedule edges as one-shot triggers on the scheduler of Camel's Quartz component, the one the definitions poll
 * runs on: a job per stream in group {@value #GROUP}, replaced when the edge moves. A trigger that could not be set is
 * logged; the next definitions poll re-checks the stream anyway.
 */
public final class QuartzEdgeTimer implements EdgeTimer {

    /** The Quartz group of the schedule jobs and triggers. */
    static final String GROUP = "camrelay-schedule";

    private static final Logger LOG = LoggerFactory.getLogger(QuartzEdgeTimer.class);

    private final CamelContext camel;

    public QuartzEdgeTimer(CamelContext camel) {
        this.camel = Objects.requireNonNull(camel, "camel");
    }

    @Override
    public void arm(String streamId, Duration delay, Runnable fire) {
        JobDataMap data = new JobDataMap();
        data.put(ScheduleEdgeJob.FIRE, fire);
        JobDetail job = JobBuilder.newJob(ScheduleEdgeJob.class).withIdentity(streamId, GROUP).usingJobData(data)
                .build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(streamId, GROUP)
                .startAt(new Date(System.currentTimeMillis() + delay.toMillis()))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        try {
            scheduler().scheduleJob(job, Set.of(trigger), true);
            LOG.debug("stream {}: schedule edge in {} ms", streamId, delay.toMillis());
        } catch (SchedulerException | RuntimeException e) {
            LOG.warn("stream {}: the next edge of its schedule could not be set in Quartz ({}); the next definitions"
                    + " poll checks it instead", streamId, Secrets.rootMessage(e));
        }
    }

    @Override
    public void cancel(String streamId) {
        try {
            scheduler().deleteJob(JobKey.jobKey(streamId, GROUP));
        } catch (SchedulerException | RuntimeException e) {
            LOG.debug("stream {}: its schedule edge could not be cancelled: {}", streamId, Secrets.rootMessage(e));
        }
    }

    private Scheduler scheduler() {
        Scheduler s = camel.getComponent("quartz", QuartzComponent.class).getScheduler();
        if (s == null) {
            throw new IllegalStateException("Camel's Quartz component has no scheduler yet");
        }
        return s;
    }
}
