"""The management API: sales plans, KAM scorecards, forecasts."""
