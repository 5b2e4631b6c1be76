	try {
		var MODULE_MAIN='{{ bundle }}@{{ version }}/index';
		var MODULE_PATH='/o/{{ bundle }}';
		AUI().applyConfig({
			groups: {
				{{ group }}: {
					base: MODULE_PATH + "/js/legacy/",
					combine: Liferay.AUI.getCombine(),
					filter: Liferay.AUI.getFilterConfig(),
					modules: {
{{ body }}
					},
					root: MODULE_PATH + "/js/legacy/"
				}
			}
		});
	} catch (error) {
		console.error(error);
	}
