"""A private iCalendar feed per user: tasks, tender dates, proposal follow-ups and meetings."""
