"""Structure news ("Ma Mission Locale"): short items every young person of the structure sees."""
