package io.camrelay.schedule;

import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The Quartz job of a schedule edge: runs the callback {@link QuartzEdgeTimer} put in its data. Public with a
 * no-argument constructor because Quartz makes an instance per firing.
 */
public final class ScheduleEdgeJob implements Job {

    /** The job data key of the callback. */
    static final String FIRE = "camrelay.schedule.fire";

    @Override
    public void execute(JobExecutionContext context) {
        if (context.getMergedJobDataMap().get(FIRE) instanceof Runnable fire) {
            fire.run();
        }
    }
}
