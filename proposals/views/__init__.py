"""The proposal pages: the list and pages (`pages`), the page's parts (`parts`), inline editing of a
draft's content (`content`), the workflow and approval queue (`workflow`), the reference library
(`references`)."""
