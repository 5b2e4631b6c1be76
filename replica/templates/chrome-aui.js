
Liferay.AUI = {
	getCombine: function() { return true; },
	getComboPath: function() { return '/combo/?browserId=other&minifierType=&languageId={{ lang }}&b={{ build }}&t={{ t_portal }}&'; },
	getDateFormat: function() { return '%d/%m/%Y'; },
	getEditorCKEditorPath: function() { return '/o/frontend-editor-ckeditor-web/ckeditor'; },
	getFilter: function() {
		var filter = 'raw';
		filter = 'min';
		return filter;
	},
	getFilterConfig: function() {
		var instance = this;
		var filterConfig = null;
		if (!instance.getCombine()) {
			filterConfig = {
				replaceStr: '.js' + instance.getStaticResourceURLParams(),
				searchExp: '\\.js$'
			};
		}
		return filterConfig;
	},
	getJavaScriptRootPath: function() { return '/o/frontend-js-web'; },
	getPortletRootPath: function() { return '/html/portlet'; },
	getStaticResourceURLParams: function() { return '?browserId=other&minifierType=&languageId={{ lang }}&b={{ build }}&t={{ t_portal }}'; }
};